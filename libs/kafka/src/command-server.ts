import {
  createEnvelope,
  DomainError,
  ErrorCodes,
  Headers,
  MessageTypes,
  Topics,
  validateInto,
  type Envelope,
  type ReplyData,
} from '@baton/contracts';
import { randomUUID } from 'node:crypto';
import type { BatonKafka } from './baton-kafka';
import type { ConsumedMessage } from './consumer-spec';
import { MessageConsumer } from './message-consumer';
import type { OutgoingMessage } from './outgoing-message';
import { runInCommand } from './command-context';
import { isConnectionFailure } from './connection-failure';
import { Slots } from './slots';
import { headerString, withBatchSpan, withConsumerSpan } from './trace-context';

/** The topics the platform's requesters wait for answers on; a command naming any other is not answered. */
const REPLY_TOPICS: readonly string[] = [
  Topics.gatewayReplies,
  Topics.agentReplies,
  Topics.eventReplies,
  Topics.workflowReplies,
];

type Constructor<T> = new () => T;
type Handler = (message: ConsumedMessage) => Promise<unknown>;

/** One command of a batch handed to a `handleMany` handler. */
export interface CommandItem<T> {
  command: T;
  envelope: Envelope;
  /** The W3C trace the request came in: what the handler publishes for it should join it. */
  traceparent?: string;
}

type ManyHandler = (items: CommandItem<object>[]) => Promise<PromiseSettledResult<unknown>[]>;

/** Where a feature adds the commands it answers (a CommandServer, or a service's shared one). */
export interface CommandRegistry {
  handle<T extends object>(
    type: string,
    dto: Constructor<T>,
    handler: (command: T, envelope: Envelope) => Promise<unknown>,
  ): CommandRegistry;
  /**
   * Commands of this type that arrive in the same fetched batch go to the
   * handler together (to start many runs in one transaction, say); it answers
   * each, in order, with its result or the error that is its reply.
   */
  handleMany<T extends object>(
    type: string,
    dto: Constructor<T>,
    handler: (items: CommandItem<T>[]) => Promise<PromiseSettledResult<unknown>[]>,
  ): CommandRegistry;
  /**
   * Commands that wait on something outside Baton (an MCP tool, a connection's
   * test call) for up to their own timeout: they run beside their partition
   * instead of in it, so the commands after them are not held that long. See
   * CommandServer.handleDetached.
   */
  handleDetached<T extends object>(
    type: string,
    dto: Constructor<T>,
    handler: (command: T, envelope: Envelope) => Promise<unknown>,
  ): CommandRegistry;
}

/** Detached commands running at once per server; past that a batch waits for a slot. */
const DETACHED_IN_FLIGHT = 32;

export interface CommandServerOptions {
  service: string;
  groupId: string;
  topic: string;
  dlqTopic: string;
  /**
   * Commands of one partition handled at once (requests are independent: keyed
   * by request id). Only for services whose handlers never hold one pool
   * connection while asking for another, or the pool can run dry for good.
   */
  concurrency?: number;
  log: (level: 'error' | 'warn', message: string, extra: object) => void;
}

/**
 * The service side of request/reply: routes each command by envelope type to
 * its handler, validates the payload into the handler's DTO, and answers on
 * the requester's reply topic. Domain errors travel back as problem payloads;
 * anything else is answered as an internal error with an id that is logged.
 */
export class CommandServer implements CommandRegistry {
  private readonly handlers = new Map<string, Handler>();
  private readonly manyHandlers = new Map<string, { dto: Constructor<object>; run: ManyHandler }>();
  private readonly detached = new Set<string>();
  private readonly detachedSlots = new Slots(DETACHED_IN_FLIGHT);
  private readonly consumer: MessageConsumer;

  constructor(
    private readonly kafka: BatonKafka,
    private readonly options: CommandServerOptions,
  ) {
    this.consumer = new MessageConsumer(kafka, {
      groupId: options.groupId,
      topics: [options.topic],
      dlqTopic: options.dlqTopic,
      partitionsConsumedConcurrently: 3,
      // After every batch: not every command is idempotent (a run start without an
      // Idempotency-Key is not), so a restart must not see handled commands again.
      commitIntervalMs: 0,
      handleBatch: (messages) => this.dispatchBatch(messages),
    });
  }

  get isJoined(): boolean {
    return this.consumer.isJoined;
  }

  /** Its group and topic, for the consumer lag metric. */
  get spec(): { groupId: string; topics: (string | RegExp)[] } {
    return this.consumer.spec;
  }

  /** How long the oldest command batch still being handled has run (0 when idle). */
  stalledForMs(now: number = Date.now()): number {
    return this.consumer.stalledForMs(now);
  }

  /**
   * How old the commands of the latest batch were when it began (0 once no
   * batch has begun for a few seconds: caught up). Commands older than the
   * gateway's request timeout are answered to nobody: a service that far
   * behind is not ready.
   */
  behindForMs(now: number = Date.now()): number {
    return now - this.lastBatchAt > 5_000 ? 0 : this.lastBatchLagMs;
  }

  private lastBatchAt = 0;
  private lastBatchLagMs = 0;

  handle<T extends object>(
    type: string,
    dto: Constructor<T>,
    handler: (command: T, envelope: Envelope) => Promise<unknown>,
  ): this {
    this.handlers.set(type, async (message) =>
      runInCommand(message.envelope, () =>
        handler(validateInto(dto, message.envelope.data), message.envelope),
      ),
    );
    return this;
  }

  handleMany<T extends object>(
    type: string,
    dto: Constructor<T>,
    handler: (items: CommandItem<T>[]) => Promise<PromiseSettledResult<unknown>[]>,
  ): this {
    this.manyHandlers.set(type, { dto, run: handler as ManyHandler });
    return this;
  }

  /**
   * A command whose handler waits on the world outside (a tool call, a test
   * of a connection) for up to that call's timeout. Handled in the batch, it
   * held every later command of its partition for as long (ADR 0040): here
   * the batch only waits for one of DETACHED_IN_FLIGHT slots (back-pressure,
   * not unbounded work), the handler runs beside the partition, and its reply
   * leaves when it ends. Its offset is committed with the batch, so a crash
   * loses the calls in flight instead of making them again after the restart:
   * their requesters time out, as every request/reply caller must allow for.
   * Only for handlers that hold no database connection while they wait.
   */
  handleDetached<T extends object>(
    type: string,
    dto: Constructor<T>,
    handler: (command: T, envelope: Envelope) => Promise<unknown>,
  ): this {
    this.handle(type, dto, handler);
    this.detached.add(type);
    return this;
  }

  start(): Promise<void> {
    return this.consumer.start();
  }

  /**
   * A fetched batch of one partition: commands with a `handleMany` handler go
   * to it together, the others run `concurrency` at a time (requests are
   * independent). Each reply leaves as soon as its command is done.
   */
  private async dispatchBatch(messages: ConsumedMessage[]): Promise<void> {
    this.lastBatchAt = Date.now();
    const producedAt = Number(messages[0]?.timestamp);
    this.lastBatchLagMs = Number.isFinite(producedAt)
      ? Math.max(0, this.lastBatchAt - producedAt)
      : 0;
    const together = new Map<string, ConsumedMessage[]>();
    const alone: ConsumedMessage[] = [];
    for (const message of messages) {
      const type = message.envelope.type;
      if (this.detached.has(type)) await this.startDetached(message);
      else if (!this.manyHandlers.has(type)) alone.push(message);
      else if (together.has(type)) together.get(type)!.push(message);
      else together.set(type, [message]);
    }
    const slots = new Slots(this.options.concurrency ?? 1);
    await Promise.all([
      ...[...together].map(([type, list]) => this.dispatchMany(type, list)),
      ...alone.map((message) => slots.run(() => this.dispatchTraced(message))),
    ]);
  }

  private dispatchTraced(message: ConsumedMessage): Promise<void> {
    return withConsumerSpan(
      message.topic,
      message.headers,
      () => this.dispatch(message),
      message.envelope,
    );
  }

  /** Resolves once the command holds a detached slot; the command itself runs on. */
  private startDetached(message: ConsumedMessage): Promise<void> {
    return new Promise((started) => {
      this.detachedSlots
        .run(() => {
          started();
          return this.dispatchTraced(message);
        })
        .catch((error: unknown) =>
          // dispatch answers every failure itself; this is a failure to answer.
          this.options.log('error', 'a detached command was not answered', {
            type: message.envelope.type,
            err: { message: (error as Error).message },
          }),
        );
    });
  }

  private async dispatchMany(type: string, messages: ConsumedMessage[]): Promise<void> {
    const { dto, run } = this.manyHandlers.get(type)!;
    const replies: ReplyData[] = new Array(messages.length);
    const valid: { index: number; item: CommandItem<object> }[] = [];
    for (const [index, message] of messages.entries()) {
      try {
        const command = validateInto(dto, message.envelope.data);
        const { envelope, traceparent } = message;
        valid.push({ index, item: { command, envelope, traceparent } });
      } catch (error) {
        replies[index] = { ok: false, error: this.toErrorPayload(error, message) };
      }
    }
    let answers: PromiseSettledResult<unknown>[];
    try {
      answers =
        valid.length > 0
          ? await withBatchSpan(messages[0].topic, messages, () => run(valid.map((v) => v.item)))
          : [];
    } catch (error) {
      answers = valid.map(() => ({ status: 'rejected', reason: error }));
    }
    for (const [k, { index }] of valid.entries()) {
      const answer = answers[k];
      replies[index] =
        answer?.status === 'fulfilled'
          ? { ok: true, result: answer.value ?? null }
          : { ok: false, error: this.toErrorPayload(answer?.reason, messages[index]) };
    }
    const outgoing = messages.flatMap((message, i) => this.replyTo(message, replies[i]) ?? []);
    await this.sendReplies(outgoing);
  }

  /**
   * The commands' work is done (and committed) whether or not their answers go
   * out: a reply that cannot be sent is logged and its requester times out,
   * rather than the batch failing and the commands running again.
   */
  private async sendReplies(replies: OutgoingMessage[]): Promise<void> {
    if (replies.length === 0) return;
    try {
      await this.kafka.publish(replies);
    } catch (error) {
      this.options.log('warn', 'replies could not be sent; their requesters will time out', {
        replies: replies.length,
        err: { message: (error as Error).message },
      });
    }
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }

  private async dispatch(message: ConsumedMessage): Promise<void> {
    const handler = this.handlers.get(message.envelope.type);
    let reply: ReplyData;
    if (!handler) {
      reply = {
        ok: false,
        error: new DomainError(
          ErrorCodes.badRequest,
          `${this.options.service} does not handle '${message.envelope.type}'`,
        ).toPayload(),
      };
    } else {
      try {
        reply = { ok: true, result: (await handler(message)) ?? null };
      } catch (error) {
        reply = { ok: false, error: this.toErrorPayload(error, message) };
      }
    }
    const outgoing = this.replyTo(message, reply);
    if (outgoing) await this.sendReplies([outgoing]);
  }

  /** The reply to `message`, or nothing for a one-way command (nobody waits for it). */
  private replyTo(message: ConsumedMessage, reply: ReplyData): OutgoingMessage | undefined {
    const replyTo = headerString(message.headers, Headers.replyTo);
    const requestId = headerString(message.headers, Headers.requestId);
    if (!replyTo || !requestId) return undefined;
    // Only the gateway (and agent-manager, for vault secrets and llm agents' MCP tools;
    // event-manager, for agent figures; workflow-engine, for a shadow run's events) asks, each on its one reply topic. Any other name comes from someone who can write commands and
    // wants the service to write elsewhere (or to a topic that does not exist,
    // which once stalled the consumer).
    if (!REPLY_TOPICS.includes(replyTo)) {
      this.options.log('warn', 'a command named a reply topic that is not one; not answered', {
        type: message.envelope.type,
        replyTo: replyTo.slice(0, 200),
      });
      return undefined;
    }
    const envelope = createEnvelope({
      type: MessageTypes.reply,
      source: this.options.service,
      data: reply,
      workspaceId: message.envelope.workspaceid,
      causedBy: message.envelope,
    });
    return {
      topic: replyTo,
      key: requestId,
      envelope,
      headers: { [Headers.requestId]: requestId },
    };
  }

  private toErrorPayload(error: unknown, message: ConsumedMessage) {
    if (error instanceof DomainError) return error.toPayload();
    const errorId = randomUUID();
    this.options.log('error', 'command failed', {
      error_id: errorId,
      type: message.envelope.type,
      err: { message: (error as Error).message, stack: (error as Error).stack },
    });
    // The database refusing connections or going away is an outage the caller may
    // retry (503), not a bug in the request (500).
    if (isConnectionFailure(error)) {
      return new DomainError(
        ErrorCodes.unavailable,
        `the service's database is unavailable; retry later (error id ${errorId})`,
      ).toPayload();
    }
    return new DomainError(ErrorCodes.internal, `internal error (error id ${errorId})`).toPayload();
  }
}
