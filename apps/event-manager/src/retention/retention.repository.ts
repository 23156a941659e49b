import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { typePatternsSql } from '../event-store/type-pattern-sql';
import { RetentionPolicyEntity } from './retention-policy.entity';
import type { RetentionPlan } from './retention-plan';

@Injectable()
export class RetentionRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Creates the policy for (workspace, type) or changes its age. */
  async upsert(
    id: string,
    workspaceId: string,
    type: string,
    maxAge: string,
    maxAgeMs: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ created: boolean; policy: RetentionPolicyEntity }> {
    const [row] = (await manager.query(
      `INSERT INTO retention_policies (id, workspace_id, type, max_age, max_age_ms)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (workspace_id, type) DO UPDATE SET max_age = EXCLUDED.max_age, max_age_ms = EXCLUDED.max_age_ms
       RETURNING id, (xmax = 0) AS created`,
      [id, workspaceId, type, maxAge, maxAgeMs],
    )) as { id: string; created: boolean }[];
    const policy = await manager.findOneByOrFail(RetentionPolicyEntity, {
      id: row.id,
    });
    return { created: row.created, policy };
  }

  list(workspaceId: string): Promise<RetentionPolicyEntity[]> {
    return this.dataSource.manager.find(RetentionPolicyEntity, {
      where: { workspaceId },
      order: { type: 'ASC' },
    });
  }

  all(): Promise<RetentionPolicyEntity[]> {
    return this.dataSource.manager.find(RetentionPolicyEntity);
  }

  async delete(
    workspaceId: string,
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    const result = await manager.delete(RetentionPolicyEntity, { workspaceId, id });
    return (result.affected ?? 0) > 0;
  }

  /**
   * Deletes at most `batchSize` expired events of one plan, and the finished
   * deliveries of those events, in one short statement. Oldest first along
   * the (workspace_id, seq) index, which is also arrival order: the scan
   * starts where expired events are. Returns how many events.
   */
  async deleteBatch(plan: RetentionPlan, batchSize: number): Promise<number> {
    const params: unknown[] = [plan.rule.workspaceId, plan.rule.maxAgeMs, batchSize];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const matches = typePatternsSql([plan.rule.type], param);
    const excluded =
      plan.excluded.length > 0 ? `AND NOT ${typePatternsSql(plan.excluded, param)}` : '';
    const [row] = (await this.dataSource.query(
      `WITH doomed AS (
         SELECT workspace_id, id FROM events
          WHERE workspace_id = $1 AND received_at < now() - $2 * interval '1 millisecond'
            AND ${matches} ${excluded}
          ORDER BY seq
          LIMIT $3
       ), gone AS (
         DELETE FROM events e USING doomed d
          WHERE e.workspace_id = d.workspace_id AND e.id = d.id
          RETURNING e.workspace_id, e.id
       ), history AS (
         DELETE FROM deliveries x USING gone g
          WHERE x.workspace_id = g.workspace_id AND x.event_id = g.id AND x.status <> 'pending'
       )
       SELECT count(*)::int AS deleted FROM gone`,
      params,
    )) as { deleted: number }[];
    const deleted = Number(row.deleted);
    if (deleted > 0) {
      await this.dataSource.query(
        `UPDATE retention_policies SET deleted = deleted + $2 WHERE id = $1`,
        [plan.rule.id, deleted],
      );
    }
    return deleted;
  }
}
