import type { KafkaMessage } from 'kafkajs';
import type { PoisonGuard } from './poison-guard';
import type { SuspectWindow } from './suspect-window';

/** What the walk needs from the consumer whose batch it walks. */
export interface WindowWalkPort<T extends { raw: KafkaMessage }> {
  guard: PoisonGuard;
  topic: string;
  partition: number;
  isRunning: () => boolean;
  /** Handles consecutive messages as the consumer always does; false if it stopped midway. */
  handle: (items: T[]) => Promise<boolean>;
  /** Dead-letters a message unhandled and marks it done. */
  deadLetter: (raw: KafkaMessage, reason: string) => Promise<void>;
  /** The window is behind: finished offsets should be committed without waiting. */
  commitSoon: () => void;
  afterStep: () => Promise<void> | undefined;
}

/**
 * Handles a batch that starts in its partition's suspect window, step by
 * step as the window plans: each step's attempt record is durable before its
 * messages are handled, and a message the process already stopped on too
 * often is dead-lettered instead.
 */
export async function walkWindow<T extends { raw: KafkaMessage }>(
  window: SuspectWindow,
  items: T[],
  port: WindowWalkPort<T>,
): Promise<void> {
  const { guard, topic, partition } = port;
  let rest = items;
  while (rest.length > 0) {
    if (!port.isRunning()) return;
    const step = window.plan(rest.map((item) => item.raw.offset));
    if (step.kind === 'poison') {
      const reason = `the process stopped ${step.attempts} times while handling this message`;
      await port.deadLetter(rest[0].raw, reason);
      rest = rest.slice(1);
      continue;
    }
    if (step.kind === 'guarded') {
      await guard.write(topic, partition, step.record);
    } else {
      const offset = rest[0].raw.offset;
      // A crash past the window must not be blamed on the last suspect.
      if (step.clear) {
        await guard.write(topic, partition, { fromOffset: offset, toOffset: offset, attempts: 0 });
      }
      guard.passed(topic, partition);
      // A crash past a capped window must find the committed offset after it, or
      // every restart would walk the same window to the same crash.
      port.commitSoon();
    }
    if (!(await port.handle(rest.slice(0, step.count)))) return;
    rest = rest.slice(step.count);
    if (step.kind === 'guarded') await port.afterStep();
  }
}
