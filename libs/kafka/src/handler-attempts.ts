import type { ConsumedMessage, ConsumerSpec } from './consumer-spec';
import type { DeadLetterKind, DeadLetters } from './poison/dead-letters';
import { faultsEnabled, injectFault } from './poison/faults';
import { HandlerTimeoutError, InFlight } from './poison/in-flight';
import { withBatchSpan, withConsumerSpan } from './trace-context';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface AttemptLimits {
  /** A handler invocation still running after this long is abandoned (0: never). */
  timeoutMs: number;
  /** Abandoned invocations of one message (or batch) before it is dead-lettered. */
  maxTimeouts: number;
}

/**
 * Runs a consumer's handler on messages: retries with backoff, gives up on an
 * invocation that does not settle in time, dead-letters what keeps failing,
 * and knows which invocations are running and since when.
 */
export class HandlerAttempts {
  private readonly inFlight = new InFlight();

  constructor(
    private readonly spec: Pick<ConsumerSpec, 'handle' | 'handleBatch' | 'maxAttempts' | 'onError'>,
    private readonly isPermanent: (error: unknown) => boolean,
    private readonly deadLetters: DeadLetters,
    private readonly limits: AttemptLimits,
  ) {}

  stalledForMs(now: number): number {
    return this.inFlight.stalledForMs(now);
  }

  private get maxAttempts(): number {
    return this.spec.maxAttempts ?? 8;
  }

  /** Returns false when the consumer is stopping and the message was not finished. */
  async runOne(message: ConsumedMessage, isRunning: () => boolean): Promise<boolean> {
    let timeouts = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.invoke([message], () =>
          withConsumerSpan(
            message.topic,
            message.headers,
            () => this.spec.handle!(message),
            message.envelope,
          ),
        );
        return true;
      } catch (error) {
        this.spec.onError?.(error, message, attempt);
        // An abandoned invocation may still hold what it held (a connection, a lock):
        // a hanging message gets fewer attempts than a failing one.
        if (error instanceof HandlerTimeoutError) timeouts++;
        const kind: DeadLetterKind | undefined = this.isPermanent(error)
          ? 'permanent'
          : timeouts >= this.limits.maxTimeouts
            ? 'timeout'
            : attempt >= this.maxAttempts
              ? 'failed'
              : undefined;
        if (kind) {
          await this.deadLetter(message, error, attempt, kind);
          return true;
        }
        if (!isRunning()) return false;
        await sleep(Math.min(100 * 2 ** (attempt - 1), 5_000));
      }
    }
  }

  /** Throws when the consumer stops before the batch is done: it is redelivered. */
  async runBatch(messages: ConsumedMessage[], isRunning: () => boolean): Promise<void> {
    let timeouts = 0;
    let attempts = 0;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      attempts = attempt;
      try {
        await this.invoke(messages, () =>
          withBatchSpan(messages[0].topic, messages, () => this.spec.handleBatch!(messages)),
        );
        return;
      } catch (error) {
        this.spec.onError?.(error, undefined, attempt);
        if (error instanceof HandlerTimeoutError) timeouts++;
        if (this.isPermanent(error) || !isRunning() || timeouts >= this.limits.maxTimeouts) break;
        await sleep(Math.min(100 * 2 ** (attempt - 1), 5_000));
      }
    }
    if (!isRunning()) throw new Error('consumer stopping; batch will be redelivered');
    // The batch keeps failing: find the culprit one message at a time.
    for (const message of messages) {
      try {
        await this.invoke([message], () => this.spec.handleBatch!([message]));
      } catch (error) {
        const kind: DeadLetterKind =
          error instanceof HandlerTimeoutError
            ? 'timeout'
            : this.isPermanent(error)
              ? 'permanent'
              : 'failed';
        // The batch's attempts, and this one alone.
        await this.deadLetter(message, error, attempts + 1, kind);
      }
    }
  }

  /**
   * One handler invocation: counted as running and abandoned after the
   * timeout. The fault hooks (tests only) act here, after the suspect
   * window's attempt record is durable and before the handler runs.
   */
  private invoke(messages: ConsumedMessage[], work: () => Promise<unknown>): Promise<unknown> {
    const fault = faultsEnabled
      ? injectFault(messages.map((message) => JSON.stringify(message.envelope)))
      : undefined;
    return this.inFlight.run(fault ? () => fault : work, this.limits.timeoutMs);
  }

  private deadLetter(
    message: ConsumedMessage,
    error: unknown,
    attempts: number,
    kind: DeadLetterKind,
  ): Promise<void> {
    return this.deadLetters.send({
      key: message.key,
      value: JSON.stringify(message.envelope),
      headers: message.headers,
      topic: message.topic,
      partition: message.partition,
      offset: message.offset,
      reason: `${(error as Error)?.message ?? String(error)} (after ${attempts} attempt(s))`,
      kind,
    });
  }
}
