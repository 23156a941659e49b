import type { ListLogsQuery, LogRecordView, Page } from '@baton/contracts';

/** One SSE event per record; its id is the record's, so Last-Event-ID resumes after it. */
export function formatLogSse(record: LogRecordView): string {
  return `id: ${record.id}\nevent: log\ndata: ${JSON.stringify(record)}\n\n`;
}

/**
 * Follow mode of GET /v1/logs: the newest `tail` records first (or what came
 * after Last-Event-ID), then every record stored since, oldest first. Holds
 * only the last id it sent; each `next()` is one query of the store.
 */
export class LogFollower {
  private lastId?: string;
  private started = false;

  constructor(
    private readonly filter: ListLogsQuery,
    private readonly list: (query: ListLogsQuery) => Promise<Page<LogRecordView>>,
    resumeAfter: string | undefined,
    private readonly tail = 100,
  ) {
    if (resumeAfter !== undefined && /^\d{1,19}$/.test(resumeAfter)) {
      this.lastId = resumeAfter;
      this.started = true;
    }
  }

  async next(): Promise<LogRecordView[]> {
    const { cursor: _cursor, after: _after, limit: _limit, ...filter } = this.filter;
    if (!this.started) {
      this.started = true;
      const page = await this.list({ ...filter, limit: this.tail });
      const records = [...page.items].reverse();
      // An empty store: follow from the start (id 0).
      this.lastId = records.at(-1)?.id ?? this.lastId ?? '0';
      return records;
    }
    const page = await this.list({ ...filter, after: this.lastId ?? '0', limit: 500 });
    if (page.items.length > 0) this.lastId = page.items.at(-1)!.id;
    return page.items;
  }
}
