import {
  AgentTaskMessageTypes,
  DomainError,
  ListLlmCallsQuery,
  encodeCursor,
  decodeCursor,
  type LlmCallView,
  type Page,
} from '@baton/contracts';
import type { CommandRegistry } from '@baton/kafka';
import { CommandHandlers } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { LlmCallsRepository, type LlmCallRow } from './llm-calls.repository';

const DEFAULT_LIMIT = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `GET /v1/runs/{id}/llm-calls`: what the run's llm agents asked their models and were answered. */
@Injectable()
export class LlmCallsHandlers extends CommandHandlers {
  constructor(private readonly calls: LlmCallsRepository) {
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
    return {
      items: page.map(toView),
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

function toView(row: LlmCallRow): LlmCallView {
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
  };
}
