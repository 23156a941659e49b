import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { LlmLimits, Spend } from './llm-budget';

/** Replays of replays are followed this far back for a recorded answer. */
const MAX_REPLAY_DEPTH = 20;

/**
 * `chain (run_id, depth)`: run $2 of workspace $1 and the runs it replays,
 * nearest first, up to the first that refreshes step $3 (ADR 0036). Shared by
 * the model-call and tool-call look-ups.
 */
export const REPLAY_CHAIN_SQL = `WITH RECURSIVE chain (run_id, depth) AS (
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

export interface RecordedCall {
  id: string;
  scope: CallScope;
  round: number;
  requestHash: string;
  model: string;
  request: unknown;
  response: unknown;
  promptTokens: number | null;
  completionTokens: number | null;
  cost: number | null;
  latencyMs: number;
}

/** One row of `GET /v1/runs/{id}/llm-calls`. */
export interface LlmCallRow {
  id: string;
  task_id: string;
  step: string | null;
  attempt: number;
  agent: string;
  agent_version: number;
  round: number;
  model: string;
  request: unknown;
  response: unknown;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  cost: string | null;
  latency_ms: number;
  discarded: boolean;
  created_at: Date;
}

/** The llm_calls table: recorded model calls, their reuse and their listing. */
@Injectable()
export class LlmCallsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * A recorded answer to the same request in the same place: the same step of
   * the same run (any attempt that did not fail), or of the run it replays
   * (and that run's own source, the nearest first) unless the replay refreshes
   * the step; for a task outside a run, the same task. Null when the model
   * must be called.
   */
  async reusable(scope: CallScope, round: number, requestHash: string): Promise<unknown> {
    const rows: { response: unknown }[] =
      scope.runId !== null && scope.step !== null
        ? await this.dataSource.query(
            `${REPLAY_CHAIN_SQL}
             SELECT l.response FROM llm_calls l JOIN chain c ON c.run_id = l.run_id
              WHERE l.workspace_id = $1 AND l.step = $3 AND l.round = $4
                AND l.request_hash = $5 AND NOT l.discarded
              ORDER BY c.depth, l.created_at DESC LIMIT 1`,
            [scope.workspaceId, scope.runId, scope.step, round, requestHash],
          )
        : await this.dataSource.query(
            `SELECT response FROM llm_calls
              WHERE task_id = $1 AND round = $2 AND request_hash = $3 AND NOT discarded
              ORDER BY created_at DESC LIMIT 1`,
            [scope.taskId, round, requestHash],
          );
    return rows.length > 0 ? rows[0].response : null;
  }

  /** The run replays `sourceRunId` (the first of its tasks to arrive says so; the rest change nothing). */
  async linkReplay(
    workspaceId: string,
    runId: string,
    sourceRunId: string,
    refresh: string[],
  ): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO llm_replays (run_id, workspace_id, source_run_id, refresh)
       VALUES ($1, $2, $3, $4) ON CONFLICT (run_id) DO NOTHING`,
      [runId, workspaceId, sourceRunId, JSON.stringify(refresh)],
    );
  }

  async record(call: RecordedCall): Promise<void> {
    const { scope } = call;
    await this.dataSource.query(
      `INSERT INTO llm_calls (id, workspace_id, task_id, run_id, step, attempt, agent, agent_version,
         round, request_hash, model, request, response, prompt_tokens, completion_tokens, cost, latency_ms)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
      [
        call.id,
        scope.workspaceId,
        scope.taskId,
        scope.runId,
        scope.step,
        scope.attempt,
        scope.agent,
        scope.agentVersion,
        call.round,
        call.requestHash,
        call.model,
        JSON.stringify(call.request),
        JSON.stringify(call.response),
        call.promptTokens,
        call.completionTokens,
        call.cost,
        call.latencyMs,
      ],
    );
  }

  /** The answers of a failed attempt are not reused: its retry asks the model again. */
  async discardAttempt(taskId: string, attempt: number): Promise<void> {
    await this.dataSource.query(
      'UPDATE llm_calls SET discarded = true WHERE task_id = $1 AND attempt = $2 AND NOT discarded',
      [taskId, attempt],
    );
  }

  listForRun(
    workspaceId: string,
    runId: string,
    after: { createdAt: string; id: string } | undefined,
    limit: number,
  ): Promise<LlmCallRow[]> {
    return this.dataSource.query(
      `SELECT id, task_id, step, attempt, agent, agent_version, round, model, request, response,
              prompt_tokens, completion_tokens, cost, latency_ms, discarded, created_at
         FROM llm_calls
        WHERE workspace_id = $1 AND run_id = $2
          AND ($3::timestamptz IS NULL OR (created_at, id) > ($3::timestamptz, $4::uuid))
        ORDER BY created_at, id LIMIT $5`,
      [workspaceId, runId, after?.createdAt ?? null, after?.id ?? null, limit],
    );
  }

  /**
   * Tokens and cost spent by the workspace's llm agents (or one of them): in
   * the run, and since the start of the UTC day and month. Reused answers are
   * not new rows, so they cost nothing here either.
   */
  async spend(workspaceId: string, agent: string | null, runId: string | null): Promise<Spend> {
    const [periods]: {
      day_tokens: string;
      day_cost: string;
      month_tokens: string;
      month_cost: string;
    }[] = await this.dataSource.query(
      `SELECT COALESCE(SUM(tokens) FILTER (WHERE created_at >= day_start), 0) AS day_tokens,
                COALESCE(SUM(cost) FILTER (WHERE created_at >= day_start), 0) AS day_cost,
                COALESCE(SUM(tokens), 0) AS month_tokens,
                COALESCE(SUM(cost), 0) AS month_cost
           FROM (SELECT COALESCE(prompt_tokens, 0) + COALESCE(completion_tokens, 0) AS tokens,
                        COALESCE(cost, 0) AS cost, created_at,
                        date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS day_start
                   FROM llm_calls
                  WHERE workspace_id = $1 AND ($2::text IS NULL OR agent = $2)
                    AND created_at >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
                ) spent`,
      [workspaceId, agent],
    );
    const [run]: { tokens: string; cost: string }[] =
      runId === null
        ? [{ tokens: '0', cost: '0' }]
        : await this.dataSource.query(
            `SELECT COALESCE(SUM(COALESCE(prompt_tokens, 0) + COALESCE(completion_tokens, 0)), 0) AS tokens,
                    COALESCE(SUM(cost), 0) AS cost
               FROM llm_calls WHERE workspace_id = $1 AND run_id = $2 AND ($3::text IS NULL OR agent = $3)`,
            [workspaceId, runId, agent],
          );
    return {
      run: { tokens: Number(run.tokens), cost: Number(run.cost) },
      day: { tokens: Number(periods.day_tokens), cost: Number(periods.day_cost) },
      month: { tokens: Number(periods.month_tokens), cost: Number(periods.month_cost) },
    };
  }

  async workspaceLimits(workspaceId: string): Promise<LlmLimits> {
    const rows: { limits: LlmLimits }[] = await this.dataSource.query(
      'SELECT limits FROM llm_budgets WHERE workspace_id = $1',
      [workspaceId],
    );
    return rows[0]?.limits ?? {};
  }

  async setWorkspaceLimits(workspaceId: string, limits: LlmLimits): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO llm_budgets (workspace_id, limits) VALUES ($1, $2)
       ON CONFLICT (workspace_id) DO UPDATE SET limits = EXCLUDED.limits, updated_at = now()`,
      [workspaceId, JSON.stringify(limits)],
    );
  }
}
