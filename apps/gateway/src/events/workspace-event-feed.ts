import type { FollowEventsQuery, FollowedEventsPage, StoredEventView } from '@baton/contracts';

/** Reads the event store after a stream cursor (`baton.event.follow`). */
export type FollowReader = (query: FollowEventsQuery) => Promise<FollowedEventsPage>;

export interface EventStreamFilter {
  types?: string[];
  subject?: string;
  source?: string;
}

const PAGE_SIZE = 200;
/** Bounds the work one poll does for one stream; the rest comes at the next poll. */
const MAX_PAGES_PER_POLL = 10;

/**
 * A workspace's stored events as they commit, as Server-Sent Event frames
 * whose `id:` is the resumable cursor. Starts at the store's current end, or
 * after the client's Last-Event-ID. The event store answers in commit order
 * and only what can no longer be preceded by a later commit, so each event
 * is sent once per stream and a resumed stream misses none.
 */
export class WorkspaceEventFeed {
  private position?: string;
  /** The position last announced to the client, by an event or a bare `id:` frame. */
  private announced?: string;
  readonly finished = false;

  constructor(
    private readonly read: FollowReader,
    private readonly filter: EventStreamFilter,
    lastEventId?: string,
  ) {
    this.position = lastEventId;
    this.announced = lastEventId;
  }

  /**
   * The first read: validates the filter and the cursor (a bad one is a 400
   * before the stream starts) and fixes where the stream begins.
   */
  async start(): Promise<string[]> {
    const frames = await this.next();
    return this.announced === this.position ? frames : [...frames, this.announce()];
  }

  async next(): Promise<string[]> {
    const frames: string[] = [];
    for (let page = 0; page < MAX_PAGES_PER_POLL; page++) {
      const result = await this.read({
        ...this.filter,
        ...(this.position !== undefined ? { after: this.position } : {}),
        limit: PAGE_SIZE,
      });
      for (const item of result.items) {
        frames.push(formatStreamEvent(item.cursor, item.event));
        this.announced = item.cursor;
      }
      this.position = result.position;
      if (result.items.length < PAGE_SIZE) break;
    }
    return frames;
  }

  /** Moves the client's resume point past events the filter left out (sent with keep-alives). */
  keepAlive(): string {
    return this.announced === this.position ? ': keep-alive\n\n' : this.announce();
  }

  private announce(): string {
    this.announced = this.position;
    // An `id:` without `data:` sets the client's Last-Event-ID and dispatches nothing.
    return `: position\nid: ${this.position}\n\n`;
  }
}

export function formatStreamEvent(cursor: string, event: StoredEventView): string {
  return `id: ${cursor}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}
