import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { RecordTable, type CallScope } from './recorded-calls';

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
  private readonly table: RecordTable;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.table = new RecordTable(dataSource, 'llm_tool_calls', 'result');
  }

  /**
   * A recorded answer to the same call (tool and arguments) in the same place:
   * as model calls are looked up (the step of this run or of the runs it
   * replays, unless refreshed; else the same task). Null when the tool must be called.
   */
  async reusable(scope: CallScope, place: ToolCallPlace, requestHash: string): Promise<unknown> {
    const { round, index } = place;
    return this.table.reusable(scope, { round, call_index: index }, requestHash);
  }

  async record(call: RecordedToolCall): Promise<void> {
    await this.table.insert(call.id, call.scope, {
      round: call.place.round,
      call_index: call.place.index,
      tool: call.tool,
      request_hash: call.requestHash,
      arguments: JSON.stringify(call.arguments),
      result: JSON.stringify(call.result),
      latency_ms: call.latencyMs,
    });
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
    await this.table.discardAttempt(taskId, attempt);
  }
}
