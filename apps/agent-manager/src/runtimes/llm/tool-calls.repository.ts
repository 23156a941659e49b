import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { REPLAY_CHAIN_SQL, type CallScope } from './llm-calls.repository';

/** Where in a task's conversation a tool was called: the round and the call's place in it. */
export interface ToolCallPlace {
  round: number;
  index: number;
}

export interface RecordedToolCall {
  id: string;
  scope: CallScope;
  place: ToolCallPlace;
  tool: string;
  requestHash: string;
  arguments: unknown;
  result: unknown;
  latencyMs: number;
}

/** One row of a listing: a recorded call and the model call whose answer asked for it. */
export interface ToolCallRow {
  id: string;
  llm_call_id: string;
  call_index: number;
  tool: string;
  arguments: unknown;
  result: { output: unknown };
  latency_ms: number;
  discarded: boolean;
  created_at: Date;
}

/** The llm_tool_calls table: recorded MCP tool calls of llm agents and their reuse (ADR 0040). */
@Injectable()
export class ToolCallsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * A recorded answer to the same call (tool and arguments) in the same place:
   * as model calls are looked up (the step of this run or of the runs it
   * replays, unless refreshed; else the same task). Null when the tool must be called.
   */
  async reusable(scope: CallScope, place: ToolCallPlace, requestHash: string): Promise<unknown> {
    const rows: { result: unknown }[] =
      scope.runId !== null && scope.step !== null
        ? await this.dataSource.query(
            `${REPLAY_CHAIN_SQL}
             SELECT t.result FROM llm_tool_calls t JOIN chain c ON c.run_id = t.run_id
              WHERE t.workspace_id = $1 AND t.step = $3 AND t.round = $4 AND t.call_index = $5
                AND t.request_hash = $6 AND NOT t.discarded
              ORDER BY c.depth, t.created_at DESC LIMIT 1`,
            [scope.workspaceId, scope.runId, scope.step, place.round, place.index, requestHash],
          )
        : await this.dataSource.query(
            `SELECT result FROM llm_tool_calls
              WHERE task_id = $1 AND round = $2 AND call_index = $3 AND request_hash = $4
                AND NOT discarded
              ORDER BY created_at DESC LIMIT 1`,
            [scope.taskId, place.round, place.index, requestHash],
          );
    return rows.length > 0 ? rows[0].result : null;
  }

  async record(call: RecordedToolCall): Promise<void> {
    const { scope } = call;
    await this.dataSource.query(
      `INSERT INTO llm_tool_calls (id, workspace_id, task_id, run_id, step, attempt, agent,
         agent_version, round, call_index, tool, request_hash, arguments, result, latency_ms)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [
        call.id,
        scope.workspaceId,
        scope.taskId,
        scope.runId,
        scope.step,
        scope.attempt,
        scope.agent,
        scope.agentVersion,
        call.place.round,
        call.place.index,
        call.tool,
        call.requestHash,
        JSON.stringify(call.arguments),
        JSON.stringify(call.result),
        call.latencyMs,
      ],
    );
  }

  /**
   * The recorded tool calls asked for by these model calls
   * (`GET /v1/runs/{id}/llm-calls`), in the order asked. A tool call belongs
   * to the model call of its task and round, of its own attempt or, where
   * that attempt took the model's answer from the record, of the latest
   * attempt before it that asked the model.
   */
  listForModelCalls(workspaceId: string, llmCallIds: string[]): Promise<ToolCallRow[]> {
    if (llmCallIds.length === 0) return Promise.resolve([]);
    return this.dataSource.query(
      `SELECT t.id, asked_by.id AS llm_call_id, t.call_index, t.tool, t.arguments, t.result,
              t.latency_ms, t.discarded, t.created_at
         FROM llm_tool_calls t
        CROSS JOIN LATERAL (
              SELECT c.id FROM llm_calls c
               WHERE c.task_id = t.task_id AND c.round = t.round AND c.attempt <= t.attempt
               ORDER BY c.attempt DESC, c.created_at DESC LIMIT 1) asked_by
        WHERE t.workspace_id = $1 AND asked_by.id = ANY($2::uuid[])
        ORDER BY t.attempt, t.call_index, t.created_at`,
      [workspaceId, llmCallIds],
    );
  }

  /** A failed attempt's tool answers go with its model answers: its retry calls again. */
  async discardAttempt(taskId: string, attempt: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE llm_tool_calls SET discarded = true
        WHERE task_id = $1 AND attempt = $2 AND NOT discarded`,
      [taskId, attempt],
    );
  }
}
