import type { Envelope } from '@baton/contracts';
import { producerTraceparent, type OutgoingMessage } from '@baton/kafka';
import type { DataSource, EntityManager } from 'typeorm';
import { auditMessage, type AuditRecord } from './audit';
import type { OutboxRelay } from './outbox-relay';

/** One Postgres transaction: state changes, the messages they cause, and inbox marks. */
export class Transaction {
  readonly outgoing: OutgoingMessage[] = [];
  /** Outbox rows written so far; each holds the next messages of `outgoing`, in order. */
  readonly outboxIds: string[] = [];
  private writtenCount = 0;
  private readonly commitHooks: (() => void)[] = [];

  constructor(
    readonly manager: EntityManager,
    /** The service writing: the source of the audit entries it records. */
    readonly source = 'baton',
  ) {}

  /**
   * Records the change this transaction makes in the audit trail, through the
   * outbox: it commits with the change or not at all, whatever happens to the
   * HTTP request that asked for it. Actor, workspace and correlation id are
   * those of `cause`, by default the command being handled (a handler of a
   * batch, `handleMany`, passes each item's envelope).
   */
  audit(record: AuditRecord, cause?: Envelope): void {
    this.publish(auditMessage(this.source, record, cause));
  }

  /** Queues messages; they are written to the outbox in this same transaction. */
  publish(...messages: OutgoingMessage[]): void {
    // The relay sends these later, outside this request's trace: carry the trace in the
    // envelope, as a producer span of each message (the outbox write is its send).
    for (const message of messages) {
      if (message.envelope.traceparent) continue;
      const traceparent = producerTraceparent(message.topic, message.envelope, message.key);
      if (traceparent) message.envelope.traceparent = traceparent;
    }
    this.outgoing.push(...messages);
  }

  /**
   * Published messages not in the outbox yet. A writer that makes one
   * statement of its changes may insert them in it (see outboxInsert) and
   * report the row with `outboxWritten`; the rest go in at commit.
   */
  unwrittenOutbox(): OutgoingMessage[] {
    return this.outgoing.slice(this.writtenCount);
  }

  /**
   * Forgets the messages not in the outbox yet: for a one-statement writer
   * whose statement changed nothing (a duplicate), so there is nothing to send.
   */
  discardUnwritten(): void {
    this.outgoing.splice(this.writtenCount);
  }

  /** The outbox row `id` holds the `count` messages unwrittenOutbox() returned. */
  outboxWritten(id: string, count: number): void {
    this.outboxIds.push(id);
    this.writtenCount += count;
  }

  /**
   * Runs `hook` once the transaction has committed (never if it rolls back),
   * before its messages are sent: for in-memory state that must only ever
   * reflect committed rows, such as a cache of them.
   */
  afterCommit(hook: () => void): void {
    this.commitHooks.push(hook);
  }

  /** Called by UnitOfWork once the commit succeeded. */
  committed(): void {
    for (const hook of this.commitHooks.splice(0)) hook();
  }

  /**
   * Records that `consumer` handled `messageId`. Returns false when it already
   * had, so the caller skips the work: this is what makes consumers idempotent.
   */
  async markProcessed(consumer: string, messageId: string): Promise<boolean> {
    const rows = (await this.manager.query(
      'INSERT INTO inbox (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1',
      [consumer, messageId],
    )) as unknown[];
    return rows.length === 1;
  }
}

export class UnitOfWork {
  constructor(
    private readonly dataSource: DataSource,
    private readonly relay: OutboxRelay,
    /** The service's name: the source of its audit entries. */
    private readonly source = 'baton',
  ) {}

  /**
   * Runs `work` in one transaction; the messages it published are sent right
   * after the commit (the relay's poll is only the safety net for a crash or a
   * Kafka outage in between), so a step's latency is not bound to a poll.
   * It resolves once they are handed to the producer, before the broker
   * acknowledges them: the outbox row holds them until it does.
   */
  async run<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    let done: Transaction | undefined;
    const result = await this.dataSource.transaction(async (manager) => {
      const tx = new Transaction(manager, this.source);
      done = tx;
      const value = await work(tx);
      const unwritten = tx.unwrittenOutbox();
      if (unwritten.length > 0) {
        const [row] = (await manager.query(outboxInsert('$1::jsonb'), [
          outboxMessages(unwritten),
        ])) as { id: string }[];
        tx.outboxWritten(row.id, unwritten.length);
      }
      return value;
    });
    if (done) this.settle(done);
    return result;
  }

  /**
   * `work` as one statement with no BEGIN and no COMMIT around it: Postgres
   * commits a lone statement by itself, which saves the two round trips (and
   * the connection held in between) that a transaction costs. Only for a
   * writer that can say all it changes in one statement, its outbox row
   * included (outboxInsert, reported with `outboxWritten`): `work` must run
   * exactly one statement, through preparedQuery on `tx.manager`. Messages
   * are sent after that statement, as after a commit.
   */
  async runAsOneStatement<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    const tx = new Transaction(this.dataSource.manager, this.source);
    const value = await work(tx);
    if (tx.unwrittenOutbox().length > 0) {
      throw new Error('a one-statement unit must write its outbox row in its statement');
    }
    this.settle(tx);
    return value;
  }

  /** After a commit: its hooks, then its messages are handed to the producer. */
  private settle(tx: Transaction): void {
    tx.committed();
    if (tx.outgoing.length > 0) this.relay.publishCommitted(tx.outboxIds, tx.outgoing);
  }
}

/**
 * The statement that writes one outbox row holding a transaction's messages
 * (`outboxMessages`, one JSON parameter) and returns its id. One row per
 * transaction, not per message: see OutboxBatches1732435300000.
 */
export function outboxInsert(messagesParam: string): string {
  return `INSERT INTO outbox (messages) VALUES (${messagesParam}) RETURNING id`;
}

export function outboxMessages(messages: OutgoingMessage[]): string {
  return JSON.stringify(
    messages.map((m) => ({
      topic: m.topic,
      key: m.key,
      envelope: m.envelope,
      headers: m.headers ?? null,
    })),
  );
}
