import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { WorkflowEntity, WorkflowVersionEntity } from '../workflows/workflow.entity';

/** Reads a workflow's version history and moves its active version. */
@Injectable()
export class WorkflowVersionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Newest first; `before` is the last version of the previous page. */
  list(
    workspaceId: string,
    name: string,
    before: number | undefined,
    limit: number,
  ): Promise<WorkflowVersionEntity[]> {
    const query = this.dataSource.manager
      .createQueryBuilder(WorkflowVersionEntity, 'v')
      .where('v.workspace_id = :workspaceId AND v.name = :name', { workspaceId, name })
      .orderBy('v.version', 'DESC')
      .limit(limit);
    if (before !== undefined) query.andWhere('v.version < :before', { before });
    return query.getMany();
  }

  lockWorkflow(manager: EntityManager, workspaceId: string, name: string) {
    return manager
      .createQueryBuilder(WorkflowEntity, 'w')
      .setLock('pessimistic_write')
      .where('w.workspace_id = :workspaceId AND w.name = :name', { workspaceId, name })
      .getOne();
  }

  findVersion(
    manager: EntityManager,
    workspaceId: string,
    name: string,
    version: number,
  ): Promise<WorkflowVersionEntity | null> {
    return manager.findOneBy(WorkflowVersionEntity, { workspaceId, name, version });
  }

  async setActive(
    manager: EntityManager,
    workspaceId: string,
    name: string,
    version: number,
  ): Promise<void> {
    await manager.query(
      `UPDATE workflows SET active_version = $3, updated_at = now() WHERE workspace_id = $1 AND name = $2`,
      [workspaceId, name, version],
    );
  }
}
