import { preparedQuery } from '@baton/database';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { TaskEntity, type TaskError } from './task.entity';

/** Postgres NOTIFY channel: a task reached completed or failed (payload: its id). */
export const TASK_FINISHED_CHANNEL = 'baton_agent_task_finished';

/** Finished tasks one prune statement deletes at most (the LIMIT in pruneFinished). */
export const PRUNE_BATCH = 5000;

export interface TaskOutcome {
  status: 'completed' | 'failed';
  output?: unknown;
  error?: TaskError;
  durationMs?: number;
}

@Injectable()
export class TasksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  find(id: string, manager: EntityManager = this.dataSource.manager): Promise<TaskEntity | null> {
    return manager.findOneBy(TaskEntity, { id });
  }

  findInWorkspace(workspaceId: string, id: string): Promise<TaskEntity | null> {
    return this.dataSource.manager.findOneBy(TaskEntity, { workspaceId, id });
  }

  findByIdempotencyKey(workspaceId: string, key: string): Promise<TaskEntity | null> {
    return this.dataSource.manager.findOneBy(TaskEntity, { workspaceId, idempotencyKey: key });
  }

  /** Inserts a new task; false when one with the same id or idempotency key exists already. */
  async insert(manager: EntityManager, task: TaskEntity): Promise<boolean> {
    return (await this.insertWithOutbox(manager, task, null)).inserted;
  }

  /**
   * `insert` and, when the task is new, its outbox row (`messages`, from
   * outboxMessages, or null for none) in one statement that Postgres commits by
   * itself (UnitOfWork.runAsOneStatement): one round trip for a new invoke or
   * submit instead of a transaction's four. `inserted` is false when a task with
   * the same id or idempotency key exists already; then no outbox row is written.
   */
  async insertWithOutbox(
    manager: EntityManager,
    task: TaskEntity,
    messages: string | null,
  ): Promise<{ inserted: boolean; outboxId: string | null }> {
    const [row] = await preparedQuery<{ inserted: boolean; outbox_id: string | null }>(
      manager,
      `WITH task AS (
         INSERT INTO tasks (id, workspace_id, agent, agent_version, origin, executor, status, attempt,
           input, run_id, step, deadline, lease_until, idempotency_key, callback_url, correlation_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12, $13, $14, $15, $16, $17)
         ON CONFLICT DO NOTHING RETURNING id),
       sent AS (
         INSERT INTO outbox (messages) SELECT $18::jsonb FROM task WHERE $18::jsonb IS NOT NULL
         RETURNING id)
       SELECT EXISTS (SELECT 1 FROM task) AS inserted, (SELECT id FROM sent) AS outbox_id`,
      [
        task.id,
        task.workspaceId,
        task.agent,
        task.agentVersion,
        task.origin,
        task.executor,
        task.status,
        task.attempt,
        task.input === undefined ? null : JSON.stringify(task.input),
        task.runId,
        task.step,
        task.deadline,
        task.leaseUntil,
        task.idempotencyKey,
        task.callbackUrl,
        task.correlationId,
        task.createdAt,
        messages,
      ],
    );
    return {
      inserted: row.inserted,
      outboxId: row.outbox_id === null ? null : String(row.outbox_id),
    };
  }

  /**
   * A workflow task for an agent agent-manager executes: new, or a later
   * attempt of a step (the engine reuses the task id). Returns the row to run,
   * or null for a redelivered message.
   */
  async upsertWorkflowTask(task: TaskEntity): Promise<TaskEntity | null> {
    const inserted = await this.insert(this.dataSource.manager, task);
    if (inserted) return task;
    const rows = (await this.dataSource.query(
      `UPDATE tasks SET attempt = $2, status = 'running', input = $3::jsonb, output = NULL, error = NULL,
         deadline = $4, lease_until = $5, finished_at = NULL, duration_ms = NULL, created_at = now(),
         claim_token = NULL, claim_until = NULL, claimed_by = NULL
       WHERE id = $1 AND attempt < $2 RETURNING id`,
      [
        task.id,
        task.attempt,
        task.input === undefined ? null : JSON.stringify(task.input),
        task.deadline,
        task.leaseUntil,
      ],
    )) as [unknown[], number];
    return rows[1] === 1 ? task : null;
  }

  /**
   * Records the outcome if the task is still running at this attempt, arms its
   * callback, notifies waiters and, when `messages` (from outboxMessages) is
   * given, writes its outbox row: one statement, which Postgres commits by
   * itself when `manager` holds no transaction (UnitOfWork.runAsOneStatement;
   * this is on every invoke's path). Answers when it finished, how long it took
   * and the outbox row's id, or null when the task had already finished (a
   * duplicate or late result), or when `claimToken` is given and is not the
   * task's live claim (a pull worker whose lease ran out).
   */
  async finish(
    manager: EntityManager,
    task: Pick<TaskEntity, 'id' | 'attempt'>,
    outcome: TaskOutcome,
    claimToken?: string,
    messages: string | null = null,
  ): Promise<{ finishedAt: Date; durationMs: number | null; outboxId: string | null } | null> {
    const rows = await preparedQuery<{
      finished_at: Date;
      duration_ms: number | null;
      outbox_id: string | null;
    }>(
      manager,
      `WITH finished AS (
         UPDATE tasks SET status = $3, output = $4::jsonb, error = $5::jsonb, finished_at = now(),
           duration_ms = COALESCE($6, (EXTRACT(EPOCH FROM now() - created_at) * 1000)::int),
           lease_until = NULL,
           callback_status = CASE WHEN callback_url IS NULL THEN NULL ELSE 'pending' END,
           callback_next_at = CASE WHEN callback_url IS NULL THEN NULL ELSE now() END
         WHERE id = $1 AND attempt = $2 AND status = 'running'
           AND ($8::text IS NULL OR (claim_token = $8 AND claim_until > now()))
         RETURNING id, finished_at, duration_ms),
       sent AS (
         INSERT INTO outbox (messages) SELECT $9::jsonb FROM finished WHERE $9::jsonb IS NOT NULL
         RETURNING id)
       SELECT finished_at, duration_ms, pg_notify($7, id::text), (SELECT id FROM sent) AS outbox_id
       FROM finished`,
      [
        task.id,
        task.attempt,
        outcome.status,
        outcome.output === undefined ? null : JSON.stringify(outcome.output),
        outcome.error ? JSON.stringify(outcome.error) : null,
        outcome.durationMs ?? null,
        TASK_FINISHED_CHANNEL,
        claimToken ?? null,
        messages,
      ],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      finishedAt: row.finished_at,
      durationMs: row.duration_ms,
      outboxId: row.outbox_id === null ? null : String(row.outbox_id),
    };
  }

  /** Running tasks of the worker executor among `ids`: the results agent-manager waits for. */
  runningWorkerTasks(ids: string[]): Promise<TaskEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource.manager
      .createQueryBuilder(TaskEntity, 't')
      .where('t.id IN (:...ids)', { ids })
      .andWhere(`t.status = 'running'`)
      .andWhere(`t.executor = 'worker'`)
      .getMany();
  }

  /** Tasks agent-manager executes whose lease ran out (a replica died mid-task): claimed anew. */
  async claimExpiredLeases(leaseMs: number, limit = 20): Promise<TaskEntity[]> {
    const rows = (await this.dataSource.query(
      `UPDATE tasks SET lease_until = now() + ($1 || ' milliseconds')::interval
       WHERE id IN (
         SELECT id FROM tasks
         WHERE status = 'running' AND executor = 'agent-manager' AND lease_until < now()
         ORDER BY lease_until LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING id`,
      [String(leaseMs), limit],
    )) as [{ id: string }[], number];
    const ids = rows[0].map((r) => r.id);
    if (ids.length === 0) return [];
    return this.dataSource.manager
      .createQueryBuilder(TaskEntity, 't')
      .where('t.id IN (:...ids)', { ids })
      .getMany();
  }

  countRunning(workspaceId: string, agent: string): Promise<number> {
    return this.dataSource.manager.countBy(TaskEntity, { workspaceId, agent, status: 'running' });
  }

  /** The agent's running tasks (whoever executes them). */
  running(workspaceId: string, agent: string): Promise<TaskEntity[]> {
    return this.dataSource.manager.findBy(TaskEntity, { workspaceId, agent, status: 'running' });
  }

  /**
   * Deletes up to PRUNE_BATCH finished tasks older than `retentionMs` whose callback
   * is settled (none, delivered or failed); answers how many it deleted. Small
   * batches, so no delete holds locks for long.
   */
  async pruneFinished(retentionMs: number): Promise<number> {
    const [, deleted] = (await this.dataSource.query(
      `DELETE FROM tasks WHERE id IN (
         SELECT id FROM tasks
          WHERE status <> 'running' AND finished_at < now() - ($1 || ' milliseconds')::interval
            AND (callback_status IS NULL OR callback_status IN ('delivered', 'failed'))
          LIMIT 5000)`,
      [String(retentionMs)],
    )) as [unknown, number];
    return deleted;
  }
}
