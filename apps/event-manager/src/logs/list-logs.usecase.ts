import {
  decodeCursor,
  encodeCursor,
  type ListLogsQuery,
  type LogRecordView,
  type Page,
} from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { levelNumber } from './log-levels';
import { LogsRepository } from './logs.repository';

const DEFAULT_LIMIT = 100;
/** At most this many words in `q`: each is one more LIKE over the workspace's records. */
const MAX_WORDS = 5;

@Injectable()
export class ListLogsUseCase {
  constructor(private readonly logs: LogsRepository) {}

  /**
   * Newest first with cursor paging; with `after`, the records stored after
   * that id, oldest first (what follow mode polls), whose page cursor is the
   * last id returned.
   */
  async execute(query: ListLogsQuery, workspaceId: string): Promise<Page<LogRecordView>> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const before = decodeCursor(query.cursor);
    const rows = await this.logs.list(workspaceId, {
      agentId: query.agent_id,
      runId: query.run_id,
      requestId: query.request_id,
      step: query.step,
      source: query.source,
      minLevel: query.level ? levelNumber(query.level) : undefined,
      words: wordsOf(query.q),
      before: before !== undefined && /^\d{1,19}$/.test(before) ? before : undefined,
      after: query.after,
      limit: limit + 1,
    });
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return {
      items,
      next_cursor: rows.length > limit && last ? encodeCursor(last.id) : null,
    };
  }
}

function wordsOf(q: string | undefined): string[] {
  if (!q) return [];
  return q.toLowerCase().split(/\s+/).filter(Boolean).slice(0, MAX_WORDS);
}
