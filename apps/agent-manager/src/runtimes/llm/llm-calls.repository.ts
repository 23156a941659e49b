import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

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
   * the same run (any attempt that did not fail), or for a task outside a run,
   * the same task. Null when the model must be called.
   */
  async reusable(scope: CallScope, round: number, requestHash: string): Promise<unknown> {
    const rows: { response: unknown }[] =
      scope.runId !== null && scope.step !== null
        ? await this.dataSource.query(
            `SELECT response FROM llm_calls
              WHERE workspace_id = $1 AND run_id = $2 AND step = $3 AND round = $4
                AND request_hash = $5 AND NOT discarded
              ORDER BY created_at DESC LIMIT 1`,
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
}
