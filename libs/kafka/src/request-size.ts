import type { Message } from 'kafkajs';

/**
 * What one produce request may carry. The broker refuses a partition's
 * record batch over its `message.max.bytes` (1 MiB by default) and kafkajs
 * puts all of a request's records for a partition in one batch, so a large
 * send (one engine transaction starting 500 runs wrote 2.8 MB) would be
 * refused whole, again at every retry, and the outbox behind it would never
 * drain. Requests are cut below the default limit instead.
 */
export const MAX_REQUEST_BYTES = 768 * 1024;

/**
 * The broker's default `message.max.bytes`: a single message larger than this
 * is refused however it is sent, so a writer must not keep trying.
 */
export const MAX_MESSAGE_BYTES = 1_048_576;

/** Per-record framing the broker counts besides key, value and headers (generous). */
const RECORD_OVERHEAD_BYTES = 64;

export function recordBytes(record: Pick<Message, 'key' | 'value' | 'headers'>): number {
  let bytes = RECORD_OVERHEAD_BYTES + sizeOf(record.key) + sizeOf(record.value);
  for (const [name, value] of Object.entries(record.headers ?? {})) {
    bytes += Buffer.byteLength(name) + sizeOf(value as string | Buffer | undefined);
  }
  return bytes;
}

/**
 * Consecutive runs of `items`, in order, each under `maxBytes` in all; an
 * item larger than that on its own goes alone (the broker will say whether it
 * takes it).
 */
export function splitByBytes<T>(items: T[], bytesOf: (item: T) => number, maxBytes: number): T[][] {
  const runs: T[][] = [];
  let current: T[] = [];
  let currentBytes = 0;
  for (const item of items) {
    const bytes = bytesOf(item);
    if (current.length > 0 && currentBytes + bytes > maxBytes) {
      runs.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(item);
    currentBytes += bytes;
  }
  if (current.length > 0) runs.push(current);
  return runs;
}

function sizeOf(value: string | Buffer | null | undefined | (string | Buffer)[]): number {
  if (value === null || value === undefined) return 0;
  if (Array.isArray(value)) return value.reduce((sum, v) => sum + sizeOf(v), 0);
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}
