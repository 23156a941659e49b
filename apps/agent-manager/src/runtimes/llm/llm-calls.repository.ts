import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { LlmLimits, Spend } from './llm-budget';
import { RecordTable, type CallScope } from './recorded-calls';

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
  private readonly table: RecordTable;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.table = new RecordTable(dataSource, 'llm_calls', 'response');
  }

  /**
   * A recorded answer to the same request in the same place: the same step of
   * the same run (any attempt that did not fail), or of the run it replays
   * (and that run's own source, the nearest first) unless the replay refreshes
   * the step; for a task outside a run, the same task. Null when the model
   * must be called.
   */
  async reusable(scope: CallScope, round: number, requestHash: string): Promise<unknown> {
    return this.table.reusable(scope, { round }, requestHash);
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
    await this.table.insert(call.id, call.scope, {
      round: call.round,
      request_hash: call.requestHash,
      model: call.model,
      request: JSON.stringify(call.request),
      response: JSON.stringify(call.response),
      prompt_tokens: call.promptTokens,
      completion_tokens: call.completionTokens,
      cost: call.cost,
      latency_ms: call.latencyMs,
    });
  }

  /** The answers of a failed attempt are not reused: its retry asks the model again. */
  async discardAttempt(taskId: string, attempt: number): Promise<void> {
    await this.table.discardAttempt(taskId, attempt);
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
