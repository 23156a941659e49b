import type { AttemptRecord } from './attempt-ledger';

export interface SuspectWindowOptions {
  /** The process may stop this many times on one message; the next time it is dead-lettered. */
  maxCrashes: number;
  /** Messages handled after one durable record while nothing has crashed yet. */
  chunk: number;
}

/** What to do with the next messages of a partition (`count` of them, from the first). */
export type WindowStep =
  /** Handle them as usual: outside the window, nothing is written. */
  | { kind: 'free'; count: number; clear: boolean }
  /** Write `record` durably, then handle them. */
  | { kind: 'guarded'; count: number; record: AttemptRecord }
  /** The first message stopped the process `attempts` times: dead-letter it unhandled. */
  | { kind: 'poison'; attempts: number };

/**
 * The messages that could have killed a partition's previous owner are those
 * between its committed offset (where this owner starts) and the high-water
 * mark when it started: anything produced later was never read by the dead
 * process. Only they are handled with a durable attempt record first, in
 * chunks; after a chunk that was in hand when the process died, one message
 * at a time until the culprit stands out. Past the window nothing is written.
 *
 * Pure: the consumer feeds it a batch's offsets and does what it answers.
 */
export class SuspectWindow {
  /** Something was written (or found) that a crash past the window must not be blamed on. */
  private dirty: boolean;

  constructor(
    /** First offset past the window. */
    readonly end: bigint,
    /** What the previous owner left, read when this owner began. */
    private readonly previous: AttemptRecord | undefined,
    private readonly options: SuspectWindowOptions,
  ) {
    this.dirty = (previous?.attempts ?? 0) > 0;
  }

  /**
   * The window of a partition whose first fetched batch starts at `firstOffset`
   * while the partition's high-water mark is `highWatermark`, at most `cap` long.
   */
  static opening(
    firstOffset: string,
    highWatermark: string,
    cap: number,
    previous: AttemptRecord | undefined,
    options: SuspectWindowOptions,
  ): SuspectWindow {
    const first = BigInt(firstOffset);
    const hwm = BigInt(highWatermark);
    const capped = first + BigInt(Math.max(0, cap));
    return new SuspectWindow(hwm < capped ? hwm : capped, previous, options);
  }

  /** True once every message of the window has been planned. */
  passed(offset: string): boolean {
    return BigInt(offset) >= this.end;
  }

  /** The next step for `offsets`, the rest of a fetched batch in order (never empty). */
  plan(offsets: readonly string[]): WindowStep {
    const first = BigInt(offsets[0]);
    if (first >= this.end) {
      const clear = this.dirty;
      this.dirty = false;
      return { kind: 'free', count: offsets.length, clear };
    }
    this.dirty = true;
    const previous = this.previous;
    const suspected = previous && previous.attempts > 0 ? previous : undefined;
    if (suspected && first <= BigInt(suspected.toOffset)) {
      const from = BigInt(suspected.fromOffset);
      if (first >= from) {
        // This message was in hand when the process stopped `attempts` times.
        const alone = from === BigInt(suspected.toOffset);
        if (alone && suspected.attempts >= this.options.maxCrashes) {
          return { kind: 'poison', attempts: suspected.attempts };
        }
        return {
          kind: 'guarded',
          count: 1,
          record: {
            fromOffset: offsets[0],
            toOffset: offsets[0],
            attempts: suspected.attempts + 1,
          },
        };
      }
      // Finished but not committed by the previous owner: a chunk that stops short of the suspects.
      return this.chunk(offsets, from);
    }
    return this.chunk(offsets, this.end);
  }

  private chunk(offsets: readonly string[], before: bigint): WindowStep {
    const limit = before < this.end ? before : this.end;
    let count = 0;
    while (count < offsets.length && count < this.options.chunk && BigInt(offsets[count]) < limit) {
      count++;
    }
    return {
      kind: 'guarded',
      count,
      record: { fromOffset: offsets[0], toOffset: offsets[count - 1], attempts: 1 },
    };
  }
}
