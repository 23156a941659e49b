import {
  createEnvelope,
  DomainError,
  ErrorCodes,
  Headers,
  MessageTypes,
  validateInto,
  type Envelope,
  type ReplyData,
} from '@baton/contracts';
import { randomUUID } from 'node:crypto';
import type { BatonKafka } from './baton-kafka';
import { MessageConsumer, type ConsumedMessage } from './message-consumer';
import { headerString } from './trace-context';

type Constructor<T> = new () => T;
type Handler = (message: ConsumedMessage) => Promise<unknown>;

/** Where a feature adds the commands it answers (a CommandServer, or a service's shared one). */
export interface CommandRegistry {
  handle<T extends object>(
    type: string,
    dto: Constructor<T>,
    handler: (command: T, envelope: Envelope) => Promise<unknown>,
  ): CommandRegistry;
}

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
      keyConcurrency: options.concurrency ?? 1,
      handle: (message) => this.dispatch(message),
    });
  }

  get isJoined(): boolean {
    return this.consumer.isJoined;
  }

  handle<T extends object>(
    type: string,
    dto: Constructor<T>,
    handler: (command: T, envelope: Envelope) => Promise<unknown>,
  ): this {
    this.handlers.set(type, async (message) =>
      handler(validateInto(dto, message.envelope.data), message.envelope),
    );
    return this;
  }

  start(): Promise<void> {
    return this.consumer.start();
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }

  private async dispatch(message: ConsumedMessage): Promise<void> {
    const replyTo = headerString(message.headers, Headers.replyTo);
    const requestId = headerString(message.headers, Headers.requestId);
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
    if (!replyTo || !requestId) return; // a one-way command: nobody waits for the answer
    const envelope = createEnvelope({
      type: MessageTypes.reply,
      source: this.options.service,
      data: reply,
      workspaceId: message.envelope.workspaceid,
      causedBy: message.envelope,
    });
    await this.kafka.publish([
      { topic: replyTo, key: requestId, envelope, headers: { [Headers.requestId]: requestId } },
    ]);
  }

  private toErrorPayload(error: unknown, message: ConsumedMessage) {
    if (error instanceof DomainError) return error.toPayload();
    const errorId = randomUUID();
    this.options.log('error', 'command failed', {
      error_id: errorId,
      type: message.envelope.type,
      err: { message: (error as Error).message, stack: (error as Error).stack },
    });
    return new DomainError(ErrorCodes.internal, `internal error (error id ${errorId})`).toPayload();
  }
}
