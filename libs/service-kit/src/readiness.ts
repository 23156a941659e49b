/** True when ready; false, or the reason, when not. */
export type ReadinessCheck = () => boolean | string;

/** Something a service waits on (a consumer that has not joined, a stuck handler) and why. */
export interface NotReady {
  check: string;
  reason: string;
}

/** A consumer as readiness sees it (MessageConsumer, CommandServer). */
export interface ConsumerProgress {
  readonly isJoined: boolean;
  /** How long its oldest handler still running has run. */
  stalledForMs(now?: number): number;
  /** How old the messages it is handling were when it began them (command servers). */
  behindForMs?(now?: number): number;
  /** Its group and topics (MessageConsumer, CommandServer): the lag metric reads them. */
  readonly spec?: { groupId: string; topics: (string | RegExp)[] };
}

export interface ReadinessLimits {
  /** A handler running longer than this: stuck. */
  stallMs: number;
  /** Requests older than this when handled: the requester gave up on them. */
  behindMs: number;
}

/** Readiness conditions a service adds beyond Kafka and Postgres (e.g. its consumers joined). */
export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();
  private readonly registered: ConsumerProgress[] = [];

  constructor(private readonly limits: ReadinessLimits = { stallMs: 30_000, behindMs: 15_000 }) {}

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  /** Ready while the consumer is in its group, no handler is stuck, and it keeps up. */
  registerConsumer(name: string, consumer: ConsumerProgress): void {
    this.registered.push(consumer);
    this.register(name, () => {
      if (!consumer.isJoined) return 'not in its consumer group';
      const stalled = consumer.stalledForMs();
      if (stalled > this.limits.stallMs)
        return `a handler has run for ${Math.round(stalled / 1000)} s`;
      const behind = consumer.behindForMs?.() ?? 0;
      if (behind > this.limits.behindMs) {
        return `handling requests ${Math.round(behind / 1000)} s old, past their requesters' timeout`;
      }
      return true;
    });
  }

  /** The consumers registered so far (ConsumerLagMetrics reads their lag). */
  consumers(): readonly ConsumerProgress[] {
    return this.registered;
  }

  /** What is not ready, with the reason each gave (for the service's own log, not the answer). */
  problems(): NotReady[] {
    const problems: NotReady[] = [];
    for (const [check, isReady] of this.checks) {
      const answer = isReady();
      if (answer === true) continue;
      problems.push({ check, reason: answer === false ? 'not ready' : answer });
    }
    return problems;
  }

  notReady(): string[] {
    return this.problems().map((problem) => problem.check);
  }
}
