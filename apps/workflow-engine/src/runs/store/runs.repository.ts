import type { StepResult } from '@baton/workflow-dsl';
import { insertEntitiesIfNew, preparedQuery } from '@baton/database';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { RunEntity } from './run.entity';
import { StepExecutionEntity } from './step-execution.entity';

/** An event that may end waits: what matching needs of it. */
export interface WaitProbe {
  workspaceId: string;
  type: string;
  /** The values a wait's correlation may equal: the event's subject and correlation id. */
  keys: string[];
}

export interface MatchedWait {
  task_id: string;
  run_id: string;
  /** Position of the matching event in the probes given. */
  probe: number;
}

export interface TimerRow {
  id: string;
  run_id: string;
  kind: string;
  payload: Record<string, unknown>;
  /** When it was due (claimed timers): how late it fired is a metric. */
  fire_at?: Date;
}

/** An agent step waiting for its result, with what its task message needs of the run. */
export interface WaitingAgentStep {
  task_id: string;
  attempt: number;
  agent: string;
  step_name: string;
  input: unknown;
  run_id: string;
  workspace_id: string;
  correlation_id: string;
  replay_of: string | null;
  replay_refresh: string[] | null;
}

export interface RunFilter {
  workflow?: string;
  status?: string;
  /** created_at|id of the last row of the previous page */
  after?: { createdAt: string; id: string };
  limit: number;
}

/** A step execution as findRunWithExecutions' JSON array holds it (timestamps as text). */
type StepExecutionJson = Omit<StepExecutionEntity, 'startedAt' | 'finishedAt'> & {
  startedAt: string | null;
  finishedAt: string | null;
};

/**
 * The entity from its JSON form. childRunId is set only on a sub-workflow
 * step (null when it has no child yet), as executionsOfRuns sets it.
 */
function stepExecutionFromJson(json: StepExecutionJson): StepExecutionEntity {
  const { childRunId, startedAt, finishedAt, ...rest } = json;
  const execution = Object.assign(new StepExecutionEntity(), rest, {
    startedAt: startedAt === null ? null : new Date(startedAt),
    finishedAt: finishedAt === null ? null : new Date(finishedAt),
  });
  const parent = json.kind === 'workflow' || json.meta?.parked_by?.kind === 'workflow';
  if (parent) execution.childRunId = childRunId ?? null;
  return execution;
}

@Injectable()
export class RunsRepository {
  private readonly selectLists = new Map<unknown, string>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findRun(workspaceId: string, id: string): Promise<RunEntity | null> {
    return this.dataSource.manager.findOneBy(RunEntity, { workspaceId, id });
  }

  /**
   * The workspace's run with every step execution (and each sub-workflow
   * step's latest child run), in one prepared statement: `GET /v1/runs/{id}`
   * at 1,000 req/s paid two round trips and TypeORM's query builder and
   * hydration for the same answer (issue 20). The executions come as one JSON
   * array ordered like executionsOf.
   */
  async findRunWithExecutions(
    workspaceId: string,
    id: string,
  ): Promise<{ run: RunEntity; executions: StepExecutionEntity[] } | null> {
    const [row] = await preparedQuery<RunEntity & { executions: StepExecutionJson[] }>(
      this.dataSource.manager,
      `SELECT ${this.selectList(RunEntity)},
         (SELECT COALESCE(json_agg(json_build_object(
             'stepName', s.step_name, 'path', s.path, 'kind', s.kind, 'status', s.status,
             'agent', s.agent, 'action', s.action, 'workflow', s.workflow, 'attempt', s.attempt,
             'input', s.input, 'output', s.output, 'error', s.error, 'meta', s.meta,
             'startedAt', s.started_at, 'finishedAt', s.finished_at,
             'childRunId', CASE WHEN s.kind = 'workflow' OR s.meta->'parked_by'->>'kind' = 'workflow'
               THEN (SELECT c.id FROM runs c WHERE c.parent_task_id = s.task_id
                      ORDER BY c.created_at DESC LIMIT 1) END)
             ORDER BY s.seq, s.started_at), '[]'::json)
            FROM step_executions s WHERE s.run_id = runs.id) AS executions
         FROM runs WHERE workspace_id = $1 AND id = $2`,
      [workspaceId, id],
    );
    if (!row) return null;
    const { executions, ...run } = row;
    return {
      run: Object.assign(new RunEntity(), run),
      executions: executions.map(stepExecutionFromJson),
    };
  }

  lockRun(manager: EntityManager, id: string): Promise<RunEntity | null> {
    return manager
      .createQueryBuilder(RunEntity, 'r')
      .setLock('pessimistic_write')
      .where('r.id = :id', { id })
      .getOne();
  }

  /** The workspace's run, locked for the rest of the transaction (a user's operation on it). */
  lockRunInWorkspace(
    manager: EntityManager,
    workspaceId: string,
    runId: string,
  ): Promise<RunEntity | null> {
    return manager
      .createQueryBuilder(RunEntity, 'r')
      .setLock('pessimistic_write')
      .where('r.id = :runId AND r.workspace_id = :workspaceId', { runId, workspaceId })
      .getOne();
  }

  async markPaused(manager: EntityManager, runId: string, at: Date): Promise<void> {
    await manager.query(
      `UPDATE runs SET status = 'paused', paused_at = $2, updated_at = $2 WHERE id = $1`,
      [runId, at],
    );
  }

  async markResumed(manager: EntityManager, runId: string, at: Date): Promise<void> {
    await manager.query(
      `UPDATE runs SET status = 'running', paused_at = NULL, updated_at = $2 WHERE id = $1`,
      [runId, at],
    );
  }

  /** A finished run running again (a retry): its error, output and finish cleared. */
  async reopen(manager: EntityManager, runId: string, at: Date): Promise<void> {
    await manager.query(
      `UPDATE runs SET status = 'running', error = NULL, output = NULL, updated_at = $2,
              finished_at = NULL
        WHERE id = $1`,
      [runId, at],
    );
  }

  /** Running agent steps of running runs, by task id after `afterTaskId`, `limit` at most. */
  async waitingAgentSteps(afterTaskId: string, limit: number): Promise<WaitingAgentStep[]> {
    return (await this.dataSource.query(
      `SELECT s.task_id, s.attempt, s.agent, s.step_name, s.input, s.run_id,
                r.workspace_id, r.correlation_id, r.replay_of, r.replay_refresh
           FROM step_executions s JOIN runs r ON r.id = s.run_id
          WHERE s.status = 'running' AND s.agent IS NOT NULL AND r.status = 'running'
            AND s.task_id::text > $1
          ORDER BY s.task_id::text LIMIT $2`,
      [afterTaskId, limit],
    )) as WaitingAgentStep[];
  }

  /**
   * Inserts runs in one statement, skipping those whose idempotency key is
   * taken (the unique index runs_idempotency): returns the ids inserted.
   */
  async insertNew(manager: EntityManager, runs: RunEntity[]): Promise<Set<string>> {
    const rows = await insertEntitiesIfNew<RunEntity, { id: string }>(
      manager,
      RunEntity,
      runs,
      'id',
    );
    return new Set(rows.map((row) => row.id));
  }

  /**
   * Locks the runs these tasks belong to, in id order so that two batches
   * locking overlapping runs queue instead of deadlocking.
   */
  async lockRunsOfTasks(manager: EntityManager, taskIds: string[]): Promise<RunEntity[]> {
    // Prepared, with the entity's columns: on every step's path (see preparedQuery).
    const rows = await preparedQuery<RunEntity>(
      manager,
      `SELECT ${this.selectList(RunEntity)} FROM runs
        WHERE id IN (SELECT run_id FROM step_executions WHERE task_id = ANY($1::uuid[]))
        ORDER BY id FOR UPDATE`,
      [taskIds],
    );
    return rows.map((row) => Object.assign(new RunEntity(), row));
  }

  /** The rows the interpreter needs of these runs, read in the decision's transaction. */
  async loadExecutionsOfRuns(
    manager: EntityManager,
    runIds: string[],
  ): Promise<StepExecutionEntity[]> {
    if (runIds.length === 0) return [];
    const rows = await preparedQuery<StepExecutionEntity>(
      manager,
      `SELECT ${this.selectList(StepExecutionEntity)} FROM step_executions
        WHERE run_id = ANY($1::uuid[])`,
      [runIds],
    );
    return rows.map((row) => Object.assign(new StepExecutionEntity(), row));
  }

  /** `column AS "property"` for each of the entity's columns, as the driver's rows need. */
  private selectList(entity: typeof RunEntity | typeof StepExecutionEntity): string {
    let list = this.selectLists.get(entity);
    if (!list) {
      list = this.dataSource
        .getMetadata(entity)
        .columns.map((c) => `${c.databaseName} AS "${c.propertyName}"`)
        .join(', ');
      this.selectLists.set(entity, list);
    }
    return list;
  }

  /** Every step execution of the run in the order they started, with their child runs. */
  async executionsOf(runId: string, manager?: EntityManager): Promise<StepExecutionEntity[]> {
    return (await this.executionsOfRuns([runId], manager)).get(runId) ?? [];
  }

  /** executionsOf for many runs, in two queries at most. */
  async executionsOfRuns(
    runIds: string[],
    manager?: EntityManager,
  ): Promise<Map<string, StepExecutionEntity[]>> {
    const byRun = new Map<string, StepExecutionEntity[]>(runIds.map((id) => [id, []]));
    if (runIds.length === 0) return byRun;
    const m = manager ?? this.dataSource.manager;
    // Prepared, with the entity's columns: every batch of run starts reads its new runs' steps
    // for the answer, and TypeORM's query builder cost more than the query (issue 20).
    const rows = (
      await preparedQuery<StepExecutionEntity>(
        m,
        `SELECT ${this.selectList(StepExecutionEntity)} FROM step_executions
          WHERE run_id = ANY($1::uuid[]) ORDER BY seq ASC, started_at ASC`,
        [runIds],
      )
    ).map((row) => Object.assign(new StepExecutionEntity(), row));
    const parents = rows.filter(
      (row) => row.kind === 'workflow' || row.meta?.parked_by?.kind === 'workflow',
    );
    if (parents.length > 0) {
      const children = (await m.query(
        `SELECT DISTINCT ON (parent_task_id) parent_task_id, id FROM runs
          WHERE parent_task_id = ANY($1::uuid[]) ORDER BY parent_task_id, created_at DESC`,
        [parents.map((row) => row.taskId)],
      )) as { parent_task_id: string; id: string }[];
      const byTask = new Map(children.map((c) => [c.parent_task_id, c.id]));
      for (const row of parents) row.childRunId = byTask.get(row.taskId) ?? null;
    }
    for (const row of rows) byRun.get(row.runId)?.push(row);
    return byRun;
  }

  /** Runs already started under these idempotency keys (of these workflows). */
  async findByIdempotencyKeys(
    workspaceId: string,
    keys: { workflow: string; key: string }[],
  ): Promise<RunEntity[]> {
    if (keys.length === 0) return [];
    // Prepared, with the entity's columns: every batch of run starts asks (each HTTP start has
    // a key, its own or its message's), and TypeORM's query builder cost more than the query.
    const rows = await preparedQuery<RunEntity>(
      this.dataSource.manager,
      `SELECT ${this.selectList(RunEntity)} FROM runs
        WHERE workspace_id = $1
          AND (workflow, idempotency_key) IN
              (SELECT w, k FROM unnest($2::text[], $3::text[]) AS x(w, k))`,
      [workspaceId, keys.map((k) => k.workflow), keys.map((k) => k.key)],
    );
    return rows.map((row) => Object.assign(new RunEntity(), row));
  }

  findExecution(manager: EntityManager, taskId: string): Promise<StepExecutionEntity | null> {
    return manager.findOneBy(StepExecutionEntity, { taskId });
  }

  async addWait(
    manager: EntityManager,
    wait: {
      taskId: string;
      runId: string;
      workspaceId: string;
      type: string;
      correlation: string | null;
    },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO waits (task_id, run_id, workspace_id, event_type, correlation)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (task_id) DO UPDATE
       SET event_type = EXCLUDED.event_type, correlation = EXCLUDED.correlation`,
      [wait.taskId, wait.runId, wait.workspaceId, wait.type, wait.correlation],
    );
  }

  async deleteTaskWaits(manager: EntityManager, taskId: string): Promise<void> {
    await manager.query(`DELETE FROM waits WHERE task_id = $1`, [taskId]);
  }

  /** Takes the wait in the caller's transaction; false when another event already ended it. */
  async claimWait(manager: EntityManager, taskId: string): Promise<boolean> {
    const rows = (await manager.query(`DELETE FROM waits WHERE task_id = $1 RETURNING task_id`, [
      taskId,
    ])) as [unknown[], number] | unknown[];
    const list = Array.isArray(rows[0]) ? (rows[0] as unknown[]) : rows;
    return list.length > 0;
  }

  /** The waits any of these events ends: same workspace and type, correlation unset or equal. */
  async matchWaits(probes: WaitProbe[]): Promise<MatchedWait[]> {
    if (probes.length === 0) return [];
    return (await this.dataSource.manager.query(
      `SELECT w.task_id, w.run_id, (e.n - 1)::int AS probe
         FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (workspace_id text, type text, keys text[]))
              WITH ORDINALITY AS e(workspace_id, type, keys, n)
         JOIN waits w ON w.workspace_id = e.workspace_id AND w.event_type = e.type
                     AND (w.correlation IS NULL OR w.correlation = ANY (e.keys))
        ORDER BY e.n`,
      [
        JSON.stringify(
          probes.map((p) => ({ workspace_id: p.workspaceId, type: p.type, keys: p.keys })),
        ),
      ],
    )) as MatchedWait[];
  }

  /** Child runs of a step not finished yet, paused ones too (to cancel them when the step stops waiting). */
  async runningChildren(manager: EntityManager, parentTaskId: string): Promise<string[]> {
    const rows = (await manager.query(
      `SELECT id FROM runs WHERE parent_task_id = $1 AND status IN ('running', 'paused')`,
      [parentTaskId],
    )) as { id: string }[];
    return rows.map((r) => r.id);
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

  async postponeTimer(id: string, delayMs: number): Promise<void> {
    await this.dataSource.manager.query(
      `UPDATE timers SET fire_at = now() + make_interval(secs => $2::float8 / 1000) WHERE id = $1`,
      [id, delayMs],
    );
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
       ) RETURNING id, run_id, kind, payload, fire_at`,
    )) as [TimerRow[], number] | TimerRow[];
    const list = Array.isArray(rows[0]) ? (rows[0] as TimerRow[]) : (rows as TimerRow[]);
    return list[0] ?? null;
  }
}
