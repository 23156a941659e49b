import {
  TERMINAL_RUN_EVENT_TYPES,
  type ListEventsQuery,
  type Page,
  type StoredEventView,
} from '@baton/contracts';

/** Reads one page of the event store (`baton.event.list`), newest first. */
export type EventPageReader = (query: ListEventsQuery) => Promise<Page<StoredEventView>>;

const PAGE_SIZE = 500;
const MAX_PAGES_PER_POLL = 200;
/**
 * A run's events are created under its row lock, so their times only grow;
 * reading back this far before the newest one seen is a wide safety margin.
 */
const TIME_MARGIN_MS = 10_000;

/**
 * The stored `workflow.*` events of one run, in the order they happened, each
 * once: the first `next()` gives the history, later ones what arrived since.
 * All of a run's events share a Kafka key (the run id), hence one partition,
 * so their offsets order them exactly.
 */
export class RunEventFeed {
  private readonly seen = new Set<string>();
  private newestTime?: number;
  private last?: { offset: bigint; type: string };
  private resumed = false;

  constructor(
    private readonly runId: string,
    private readonly read: EventPageReader,
    /** Resume after this event (SSE Last-Event-ID): it and everything before it are skipped. */
    private readonly after?: string,
  ) {}

  /** True once the newest event is a terminal one (completed, failed, cancelled). */
  get finished(): boolean {
    return this.last !== undefined && TERMINAL_RUN_EVENT_TYPES.includes(this.last.type);
  }

  async next(): Promise<StoredEventView[]> {
    const fresh: StoredEventView[] = [];
    const from =
      this.newestTime === undefined
        ? undefined
        : new Date(this.newestTime - TIME_MARGIN_MS).toISOString();
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES_PER_POLL; page++) {
      const result = await this.read({
        subject: this.runId,
        type: 'workflow.*',
        limit: PAGE_SIZE,
        ...(from ? { from } : {}),
        ...(cursor ? { cursor } : {}),
      });
      fresh.push(...result.items.filter((event) => !this.seen.has(event.id)));
      if (!result.next_cursor) break;
      cursor = result.next_cursor;
    }
    fresh.sort((a, b) => compareOffsets(a, b));
    const unique = fresh.filter((event, i) => i === 0 || event.id !== fresh[i - 1].id);
    for (const event of unique) this.remember(event);
    return this.skipUntilResumePoint(unique);
  }

  private remember(event: StoredEventView): void {
    this.seen.add(event.id);
    const time = Date.parse(event.time);
    if (this.newestTime === undefined || time > this.newestTime) this.newestTime = time;
    const offset = BigInt(event.offset);
    if (this.last === undefined || offset > this.last.offset) {
      this.last = { offset, type: event.type };
    }
  }

  private skipUntilResumePoint(events: StoredEventView[]): StoredEventView[] {
    if (this.after === undefined || this.resumed) return events;
    this.resumed = true; // only the history can hold the resume point
    const index = events.findIndex((event) => event.id === this.after);
    return index < 0 ? events : events.slice(index + 1); // unknown id: send all, lose nothing
  }
}

function compareOffsets(a: StoredEventView, b: StoredEventView): number {
  const x = BigInt(a.offset);
  const y = BigInt(b.offset);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** One Server-Sent Event: `id`, `event` and `data` lines, then a blank line. */
export function formatSse(event: StoredEventView): string {
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}
