import type { ErrorPayload } from '../errors';

/** What a command handler answers through request/reply. */
export type ReplyData<T = unknown> = { ok: true; result: T } | { ok: false; error: ErrorPayload };

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}
