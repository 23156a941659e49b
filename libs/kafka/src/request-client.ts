import {
  createEnvelope,
  DomainError,
  ErrorCodes,
  Headers,
  type Envelope,
  type ReplyData,
} from '@baton/contracts';
import { randomUUID } from 'node:crypto';
import type { BatonKafka } from './baton-kafka';
import { OwnGroupConsumer } from './own-group-consumer';
import { headerString } from './trace-context';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export interface RequestOptions {
  workspaceId: string;
  timeoutMs?: number;
  key?: string;
  correlationId?: string;
  source: string;
  /** The caller the command acts for: audit entries name it (Envelope.principal). */
  principal?: string;
  /** `<kind>:<id>` of the caller's credential (Envelope.credential). */
  credential?: string;
}

/**
 * Request/reply over Kafka for the gateway (and agent-manager's vault queries,
 * on a reply topic and group prefix of its own).
 *
 * Every gateway instance consumes the shared reply topic in a consumer group of
 * its own, so it is always the only member and owns every partition: no
 * rebalance can move a reply partition away mid-request (the failure mode of
 * @nestjs/microservices' ClientKafka, nestjs/nest#2984, #6197, #13481). Replies
 * are matched by request id; replies meant for other instances are skipped.
 */
export class RequestClient extends OwnGroupConsumer {
  private readonly pending = new Map<string, Pending>();
  private ready = false;
  readonly instanceId: string;

  constructor(
    kafka: BatonKafka,
    private readonly replyTopic: string,
    groupPrefix = 'baton-gateway-replies-',
  ) {
    const instanceId = randomUUID();
    super(kafka, `${groupPrefix}${instanceId}`, (message, extra) =>
      kafka.options.log?.('warn', message, extra),
    );
    this.instanceId = instanceId;
  }

  get isReady(): boolean {
    return this.ready;
  }

  async start(): Promise<void> {
    const consumer = this.newConsumer();
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      // Replies to requests in flight may be missed while it is down: they time out.
      this.ready = false;
      // Restarted in a new group of its own (OwnGroupConsumer), never by kafkajs.
      if (!this.stopping) this.recovery.crashed(payload.error, false);
    });
    // A fresh group starts at the latest offset; once the first fetch has come back
    // the position is fixed, so no reply to a request sent after that can be missed.
    const firstFetch = new Promise<void>((resolve) => {
      consumer.on(consumer.events.FETCH, () => resolve());
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [this.replyTopic], fromBeginning: false });
    await consumer.run({
      // The group is this instance's alone and starts at the latest offset, so a
      // committed offset is never read: committing each reply was a round trip for
      // nothing. (A rejoin after a lost session starts at the latest offset again;
      // requests in flight then time out, as they would with no commit to resume from.)
      autoCommit: false,
      eachMessage: async ({ message }) => {
        const requestId = headerString(message.headers, Headers.requestId);
        if (!requestId || !message.value) return;
        const waiting = this.pending.get(requestId);
        if (!waiting) return;
        this.pending.delete(requestId);
        clearTimeout(waiting.timer);
        try {
          const envelope = JSON.parse(message.value.toString('utf8')) as Envelope<ReplyData>;
          const reply = envelope.data;
          if (reply.ok) waiting.resolve(reply.result);
          else waiting.reject(DomainError.fromPayload(reply.error));
        } catch (error) {
          waiting.reject(error as Error);
        }
      },
    });
    await firstFetch;
    this.ready = true;
  }

  protected onStopping(): void {
    this.ready = false;
    for (const [id, waiting] of this.pending) {
      clearTimeout(waiting.timer);
      waiting.reject(new DomainError(ErrorCodes.unavailable, 'gateway is shutting down'));
      this.pending.delete(id);
    }
  }

  async request<T>(
    topic: string,
    type: string,
    data: unknown,
    options: RequestOptions,
  ): Promise<T> {
    if (!this.ready) throw new DomainError(ErrorCodes.unavailable, 'gateway is not ready yet');
    const envelope = createEnvelope({
      type,
      source: options.source,
      data,
      workspaceId: options.workspaceId,
      correlationId: options.correlationId,
      principal: options.principal,
      credential: options.credential,
    });
    const timeoutMs = options.timeoutMs ?? 15_000;
    const result = new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelope.id);
        reject(new DomainError(ErrorCodes.timeout, `no answer to ${type} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(envelope.id, { resolve: resolve as (v: unknown) => void, reject, timer });
    });
    // A fast error reply can reject `result` while the send below is still awaited; without
    // a handler attached by then, Node treats it as unhandled and ends the process (this
    // was the gateway dying mid-suite with "fetch failed"). The caller still gets it.
    result.catch(() => undefined);
    try {
      await this.kafka.publish([
        {
          topic,
          key: options.key ?? envelope.id,
          envelope,
          headers: { [Headers.replyTo]: this.replyTopic, [Headers.requestId]: envelope.id },
        },
      ]);
    } catch (error) {
      const waiting = this.pending.get(envelope.id);
      if (waiting) clearTimeout(waiting.timer);
      this.pending.delete(envelope.id);
      throw new DomainError(
        ErrorCodes.unavailable,
        `Kafka refused the request: ${(error as Error).message}`,
      );
    }
    return result;
  }
}
