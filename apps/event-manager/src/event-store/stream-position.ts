import { EVENT_STREAM_CURSOR } from '@baton/contracts';

/**
 * A place in a workspace's event stream: the transaction that stored an event
 * and its `seq` within the store. Commit order of transactions older than
 * every running one is final, so (xid, seq) orders what a follower has seen.
 */
export interface StreamPosition {
  xid: string;
  seq: string;
}

export function formatStreamPosition(position: StreamPosition): string {
  return `${position.xid}-${position.seq}`;
}

/** The position named by a cursor, or undefined when it is not one this stream handed out. */
export function parseStreamPosition(cursor: string): StreamPosition | undefined {
  if (!EVENT_STREAM_CURSOR.test(cursor)) return undefined;
  const [xid, seq] = cursor.split('-');
  // Postgres' xid8 and bigint are both signed 64-bit on the wire: beyond that is not ours.
  if (BigInt(xid) > 2n ** 63n - 1n || BigInt(seq) > 2n ** 63n - 1n) return undefined;
  return { xid: BigInt(xid).toString(), seq: BigInt(seq).toString() };
}
