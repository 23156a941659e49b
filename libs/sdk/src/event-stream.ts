import type { StoredEventView } from '@baton/contracts';

/** What `subscribe({ events, handler })` calls: one stored event of the workspace. */
export type EventHandler = (event: StoredEventView) => unknown;

export interface EventStreamOptions {
  endpoint: string;
  apiKey: string;
  workspaceId?: string;
  /** Type patterns (`order.*`); none means every type. */
  types: string[];
  subject?: string;
  /** Resume after this event id (a cursor from an earlier subscription's `lastEventId`). */
  lastEventId?: string;
  handler: EventHandler;
  /** Told about every interruption (a broken connection, a handler that threw); the stream resumes. */
  onError?: (error: unknown) => void;
}

const MAX_BACKOFF_MS = 10_000;
/** The gateway sends a keep-alive every 15 s; three missed ones mean the connection is dead. */
const READ_TIMEOUT_MS = 45_000;

interface SseFrame {
  id?: string;
  event: string;
  data: string[];
}

/**
 * Follows `GET /v1/events/stream` and calls the handler per event, one at a
 * time, in order. After a disconnect, or when the handler throws, it
 * reconnects with `Last-Event-ID` set to the last event handled: delivery is
 * at least once, so handlers should be idempotent (event ids are stable).
 */
export class EventSubscription {
  /** Where a reconnect resumes: the last event handled, or a position the server announced. */
  lastEventId?: string;
  private readonly abort = new AbortController();
  private readonly done: Promise<void>;
  private fatal?: Error;
  private connected!: () => void;
  /** Resolves when the stream first opens (events stored from then on are delivered). */
  readonly opened: Promise<void>;

  constructor(private readonly options: EventStreamOptions) {
    this.lastEventId = options.lastEventId;
    this.opened = new Promise((resolve) => (this.connected = resolve));
    this.done = this.run();
  }

  /** Stops following; resolves once the stream is closed. */
  async close(): Promise<void> {
    this.abort.abort();
    await this.done;
  }

  /** The error that ended the subscription (a refused key, a bad type pattern), if one did. */
  get error(): Error | undefined {
    return this.fatal;
  }

  /** Resolves when closed; rejects with the error that ended the subscription (a refused key). */
  async finished(): Promise<void> {
    await this.done;
    if (this.fatal) throw this.fatal;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.abort.signal.aborted) {
      try {
        await this.follow(() => (failures = 0));
        failures = 0;
      } catch (error) {
        if (this.abort.signal.aborted) break;
        if (error instanceof StreamRefused && !error.retryable) {
          this.fatal = error;
          this.options.onError?.(error);
          this.connected(); // nobody waits for a stream that will not open
          return;
        }
        this.options.onError?.(error);
        const retryAfter = error instanceof StreamRefused ? error.retryAfterMs : undefined;
        const wait = retryAfter ?? Math.random() * Math.min(MAX_BACKOFF_MS, 500 * 2 ** failures);
        failures++;
        await sleep(wait, this.abort.signal);
      }
    }
  }

  private async follow(onOpen: () => void): Promise<void> {
    const params = new URLSearchParams();
    if (this.options.types.length > 0) params.set('type', this.options.types.join(','));
    if (this.options.subject !== undefined) params.set('subject', this.options.subject);
    const url = `${this.options.endpoint.replace(/\/+$/, '')}/v1/events/stream?${params}`;
    const response = await fetch(url, {
      headers: {
        authorization: `Bearer ${this.options.apiKey}`,
        accept: 'text/event-stream',
        ...(this.options.workspaceId ? { 'x-workspace-id': this.options.workspaceId } : {}),
        ...(this.lastEventId ? { 'last-event-id': this.lastEventId } : {}),
      },
      signal: this.abort.signal,
    });
    if (response.status !== 200 || !response.body) {
      const text = await response.text();
      const retryAfter = Number(response.headers.get('retry-after'));
      throw new StreamRefused(
        response.status,
        text,
        Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
      );
    }
    this.connected();
    onOpen();
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    let frame: SseFrame = { event: '', data: [] };
    for (;;) {
      const { done, value } = await withTimeout(reader.read(), READ_TIMEOUT_MS, () =>
        reader.cancel(),
      );
      if (done) return; // the server ended the stream (a restart): reconnect
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, end).replace(/\r$/, '');
        buffer = buffer.slice(end + 1);
        if (line !== '') {
          readField(frame, line);
          continue;
        }
        const complete = frame;
        frame = { event: '', data: [] };
        if (complete.data.length === 0) {
          // A bare `id:` moves the resume point past events the filter left out.
          if (complete.id !== undefined) this.lastEventId = complete.id;
          continue;
        }
        if (complete.event === 'error') throw new StreamRefused(503, complete.data.join('\n'));
        await this.options.handler(JSON.parse(complete.data.join('\n')) as StoredEventView);
        if (complete.id !== undefined) this.lastEventId = complete.id;
      }
    }
  }
}

/** The stream answered something else than 200: 4xx other than 429 end the subscription. */
export class StreamRefused extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly retryAfterMs?: number,
  ) {
    super(`the event stream answered ${status}: ${body.slice(0, 500)}`);
    this.name = 'StreamRefused';
  }

  get retryable(): boolean {
    return this.status === 429 || this.status >= 500;
  }
}

function readField(frame: SseFrame, line: string): void {
  if (line.startsWith(':')) return;
  const colon = line.indexOf(':');
  const field = colon < 0 ? line : line.slice(0, colon);
  let value = colon < 0 ? '' : line.slice(colon + 1);
  if (value.startsWith(' ')) value = value.slice(1);
  if (field === 'data') frame.data.push(value);
  else if (field === 'event') frame.event = value;
  else if (field === 'id' && !value.includes('\0')) frame.id = value;
}

async function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => unknown): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      void onTimeout();
      reject(new Error(`no data from the event stream for ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
