import type { StepResult } from '@baton/workflow-dsl';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { RunEntity } from './run.entity';
import { StepExecutionEntity } from './step-execution.entity';

export interface TimerRow {
  id: string;
  run_id: string;
  kind: string;
  payload: Record<string, unknown>;
}

export interface RunFilter {
  workflow?: string;
  status?: string;
  /** created_at|id of the last row of the previous page */
  after?: { createdAt: string; id: string };
  limit: number;
}

@Injectable()
export class RunsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findRun(workspaceId: string, id: string): Promise<RunEntity | null> {
    return this.dataSource.manager.findOneBy(RunEntity, { workspaceId, id });
  }

  findByIdempotencyKey(
    workspaceId: string,
    workflow: string,
    key: string,
  ): Promise<RunEntity | null> {
    return this.dataSource.manager.findOneBy(RunEntity, {
      workspaceId,
      workflow,
      idempotencyKey: key,
    });
  }

  lockRun(manager: EntityManager, id: string): Promise<RunEntity | null> {
    return manager
      .createQueryBuilder(RunEntity, 'r')
      .setLock('pessimistic_write')
      .where('r.id = :id', { id })
      .getOne();
  }

  lockExecution(manager: EntityManager, taskId: string): Promise<StepExecutionEntity | null> {
    return manager
      .createQueryBuilder(StepExecutionEntity, 's')
      .setLock('pessimistic_write')
      .where('s.task_id = :taskId', { taskId })
      .getOne();
  }

  executionsOf(runId: string, manager?: EntityManager): Promise<StepExecutionEntity[]> {
    return (manager ?? this.dataSource.manager).find(StepExecutionEntity, {
      where: { runId },
      order: { stepIndex: 'ASC', startedAt: 'ASC' },
    });
  }

  /** What expressions can read: every finished step's status and output. */
  async stepResults(manager: EntityManager, runId: string): Promise<Record<string, StepResult>> {
    const rows = (await manager.query(
      `SELECT step_name, status, output FROM step_executions
        WHERE run_id = $1 AND status IN ('completed', 'skipped', 'failed')`,
      [runId],
    )) as { step_name: string; status: string; output: unknown }[];
    return Object.fromEntries(
      rows.map((r) => [r.step_name, { status: r.status, output: r.output ?? undefined }]),
    );
  }

  async list(workspaceId: string, filter: RunFilter): Promise<RunEntity[]> {
    const query = this.dataSource.manager
      .createQueryBuilder(RunEntity, 'r')
      .where('r.workspace_id = :workspaceId', { workspaceId })
      .orderBy('r.created_at', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .limit(filter.limit);
    if (filter.workflow) query.andWhere('r.workflow = :workflow', { workflow: filter.workflow });
    if (filter.status) query.andWhere('r.status = :status', { status: filter.status });
    if (filter.after) {
      query.andWhere('(r.created_at, r.id) < (:createdAt, :id)', filter.after);
    }
    return query.getMany();
  }

  async addTimer(
    manager: EntityManager,
    runId: string,
    kind: string,
    fireAt: Date,
    payload: Record<string, unknown>,
  ): Promise<void> {
    await manager.query(
      'INSERT INTO timers (run_id, kind, fire_at, payload) VALUES ($1, $2, $3, $4)',
      [runId, kind, fireAt, JSON.stringify(payload)],
    );
  }

  async deleteTaskTimers(manager: EntityManager, runId: string, taskId: string): Promise<void> {
    await manager.query(`DELETE FROM timers WHERE run_id = $1 AND payload->>'task_id' = $2`, [
      runId,
      taskId,
    ]);
  }

  /**
   * Takes one due timer, deleting it in the caller's transaction: if handling
   * fails the delete rolls back and the timer fires again. SKIP LOCKED lets
   * several engine processes share the timers without firing one twice.
   */
  async claimDueTimer(manager: EntityManager): Promise<TimerRow | null> {
    const rows = (await manager.query(
      `DELETE FROM timers WHERE id = (
         SELECT id FROM timers WHERE fire_at <= now() ORDER BY fire_at LIMIT 1 FOR UPDATE SKIP LOCKED
       ) RETURNING id, run_id, kind, payload`,
    )) as [TimerRow[], number] | TimerRow[];
    const list = Array.isArray(rows[0]) ? (rows[0] as TimerRow[]) : (rows as TimerRow[]);
    return list[0] ?? null;
  }
}
