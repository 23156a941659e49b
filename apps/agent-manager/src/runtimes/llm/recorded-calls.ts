import type { DataSource } from 'typeorm';

/** Replays of replays are followed this far back for a recorded answer. */
const MAX_REPLAY_DEPTH = 20;

/**
 * `chain (run_id, depth)`: run $2 of workspace $1 and the runs it replays,
 * nearest first, up to the first that refreshes step $3 (ADR 0036).
 */
const REPLAY_CHAIN_SQL = `WITH RECURSIVE chain (run_id, depth) AS (
               SELECT $2::uuid, 0
               UNION ALL
               SELECT r.source_run_id, c.depth + 1
                 FROM chain c JOIN llm_replays r ON r.run_id = c.run_id
                WHERE r.workspace_id = $1 AND NOT (r.refresh ? $3) AND c.depth < ${MAX_REPLAY_DEPTH}
             )`;

/** Where a model call was made: the task, and the run step it serves when it serves one. */
export interface CallScope {
  workspaceId: string;
  taskId: string;
  runId: string | null;
  step: string | null;
  attempt: number;
  agent: string;
  agentVersion: number;
}

/**
 * A table of recorded calls of llm agents, whose rows start with the call's
 * scope: llm_calls (the model's answers, in `response`) and llm_tool_calls
 * (MCP tools' answers, in `result`). Both are reused and discarded the same way.
 */
export class RecordTable {
  constructor(
    private readonly dataSource: DataSource,
    private readonly name: 'llm_calls' | 'llm_tool_calls',
    private readonly answer: 'response' | 'result',
  ) {}

  /**
   * A recorded answer to the same request (`requestHash`) in the same place
   * (`place`: the round, and for a tool call its index in the round): the same
   * step of the same run (any attempt that did not fail), or of the run it
   * replays (and that run's own source, the nearest first) unless the replay
   * refreshes the step; for a task outside a run, the same task. Null when the
   * call must be made.
   */
  async reusable(
    scope: CallScope,
    place: Record<string, number>,
    requestHash: string,
  ): Promise<unknown> {
    const placeValues = Object.values(place);
    const matching = (first: number, alias: string): string =>
      [...Object.keys(place), 'request_hash']
        .map((column, i) => `${alias}${column} = $${first + i}`)
        .join(' AND ');
    const rows: Record<string, unknown>[] =
      scope.runId !== null && scope.step !== null
        ? await this.dataSource.query(
            `${REPLAY_CHAIN_SQL}
             SELECT t.${this.answer} FROM ${this.name} t JOIN chain c ON c.run_id = t.run_id
              WHERE t.workspace_id = $1 AND t.step = $3 AND ${matching(4, 't.')} AND NOT t.discarded
              ORDER BY c.depth, t.created_at DESC LIMIT 1`,
            [scope.workspaceId, scope.runId, scope.step, ...placeValues, requestHash],
          )
        : await this.dataSource.query(
            `SELECT ${this.answer} FROM ${this.name}
              WHERE task_id = $1 AND ${matching(2, '')} AND NOT discarded
              ORDER BY created_at DESC LIMIT 1`,
            [scope.taskId, ...placeValues, requestHash],
          );
    return rows.length > 0 ? rows[0][this.answer] : null;
  }

  /** Inserts a recorded call: its id and scope, then the table's own `columns`. */
  async insert(id: string, scope: CallScope, columns: Record<string, unknown>): Promise<void> {
    const names = [
      'id',
      'workspace_id',
      'task_id',
      'run_id',
      'step',
      'attempt',
      'agent',
      'agent_version',
      ...Object.keys(columns),
    ];
    const values = [
      id,
      scope.workspaceId,
      scope.taskId,
      scope.runId,
      scope.step,
      scope.attempt,
      scope.agent,
      scope.agentVersion,
      ...Object.values(columns),
    ];
    await this.dataSource.query(
      `INSERT INTO ${this.name} (${names.join(', ')})
       VALUES (${values.map((_, i) => `$${i + 1}`).join(', ')})`,
      values,
    );
  }

  /** A failed attempt's recorded answers are not reused: its retry makes the calls again. */
  async discardAttempt(taskId: string, attempt: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${this.name} SET discarded = true
        WHERE task_id = $1 AND attempt = $2 AND NOT discarded`,
      [taskId, attempt],
    );
  }
}
