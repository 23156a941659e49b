import {
  AgentTaskMessageTypes,
  DomainError,
  ListLlmCallsQuery,
  encodeCursor,
  decodeCursor,
  type LlmCallView,
  type LlmToolCallView,
  type Page,
} from '@baton/contracts';
import type { CommandRegistry } from '@baton/kafka';
import { CommandHandlers } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { LlmCallsRepository, type LlmCallRow } from './llm-calls.repository';
import { ToolCallsRepository, type ToolCallRow } from './tool-calls.repository';

const DEFAULT_LIMIT = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `GET /v1/runs/{id}/llm-calls`: what the run's llm agents asked their models
 * and were answered, each answer with the MCP tool calls it asked for.
 */
@Injectable()
export class LlmCallsHandlers extends CommandHandlers {
  constructor(
    private readonly calls: LlmCallsRepository,
    private readonly toolCalls: ToolCallsRepository,
  ) {
    super();
  }

  register(server: CommandRegistry): void {
    server.handle(AgentTaskMessageTypes.llmCalls, ListLlmCallsQuery, (query, envelope) =>
      this.list(envelope.workspaceid, query),
    );
  }

  private async list(workspaceId: string, query: ListLlmCallsQuery): Promise<Page<LlmCallView>> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const rows = await this.calls.listForRun(
      workspaceId,
      query.run_id,
      afterCursor(query.cursor),
      limit + 1,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const toolCalls = await this.toolCalls.listForModelCalls(
      workspaceId,
      page.map((row) => row.id),
    );
    return {
      items: page.map((row) => toView(row, toolCalls)),
      next_cursor:
        rows.length > limit && last
          ? encodeCursor(JSON.stringify([last.created_at.toISOString(), last.id]))
          : null,
    };
  }
}

function afterCursor(cursor: string | undefined): { createdAt: string; id: string } | undefined {
  const position = decodeCursor(cursor);
  if (position === undefined) return undefined;
  try {
    const [createdAt, id] = JSON.parse(position) as [string, string];
    if (
      typeof createdAt === 'string' &&
      !Number.isNaN(Date.parse(createdAt)) &&
      typeof id === 'string' &&
      UUID.test(id)
    )
      return { createdAt, id };
  } catch {
    /* refused below */
  }
  throw DomainError.invalid('cursor', 'is not a cursor this API returned');
}

function toView(row: LlmCallRow, toolCalls: ToolCallRow[]): LlmCallView {
  return {
    id: row.id,
    task_id: row.task_id,
    step: row.step,
    attempt: row.attempt,
    agent: row.agent,
    agent_version: row.agent_version,
    round: row.round,
    model: row.model,
    request: row.request,
    response: row.response,
    prompt_tokens: row.prompt_tokens,
    completion_tokens: row.completion_tokens,
    cost: row.cost === null ? null : Number(row.cost),
    latency_ms: row.latency_ms,
    discarded: row.discarded,
    created_at: row.created_at.toISOString(),
    tool_calls: toolCalls.filter((t) => t.llm_call_id === row.id).map(toToolCallView),
  };
}

function toToolCallView(row: ToolCallRow): LlmToolCallView {
  return {
    id: row.id,
    tool: row.tool,
    index: row.call_index,
    arguments: row.arguments,
    output: row.result.output,
    latency_ms: row.latency_ms,
    discarded: row.discarded,
    created_at: row.created_at.toISOString(),
  };
}
