import { MissingTopicError, type BatonKafka, type OutgoingMessage } from '@baton/kafka';
import type { Envelope } from '@baton/contracts';
import { PollingLoop } from './polling-loop';
import type { DataSource, EntityManager } from 'typeorm';
import { undeliverableReplacement, withinBrokerLimit } from './undeliverable';

/** One transaction's messages, in the order it published them. */
interface OutboxRow {
  id: string;
  messages: {
    topic: string;
    key: string;
    envelope: Envelope;
    headers: Record<string, string> | null;
  }[];
}

/** Messages the poll publishes at most per pass (whole rows; a larger row goes alone). */
const MESSAGES_PER_PASS = 500;

/** How long sent rows wait to be deleted (well under the poll's one-second grace). */
const DELETE_DELAY_MS = 200;

export interface OutboxRelayOptions {
  schema: string;
  /** Outbox rows (transactions) per pass. */
  batchSize?: number;
  pollIntervalMs?: number;
  /** Where a message goes whose topic stayed missing past the grace (see undeliverable.ts). */
  dlqTopic: string;
  /**
   * How long rows wait for a missing topic to come back (reconciliation
   * recreates the ones a service owns) before their messages are answered as
   * undeliverable. Meanwhile the other rows go out.
   */
  missingTopicGraceMs?: number;
  log: (level: 'error' | 'warn' | 'info', message: string, extra: object) => void;
}

/**
 * Publishes outbox rows to Kafka, then deletes them in the same transaction.
 *
 * One relay per schema is active at a time (a transaction-scoped advisory lock),
 * which keeps each aggregate's messages in commit order even with several
 * replicas of a service. A crash between publish and commit republishes the
 * batch: delivery is at least once and consumers deduplicate by message id.
 * Normally the writer itself sends its messages right after commit
 * (`publishCommitted`); the poll takes only rows older than a second, left by a
 * crash or a Kafka outage between commit and send.
 */
export class OutboxRelay {
  private readonly loop: PollingLoop;
  private readonly lockKey: number;
  /** Rows younger than this are still being sent by the transaction that wrote them. */
  private graceSeconds = 1;
  /** Ids of rows already sent, waiting for the next coalesced DELETE. */
  private sent: string[] = [];
  private deleting?: Promise<void>;
  /** Sends handed off by writers that the broker has not acknowledged yet. */
  private readonly sending = new Set<Promise<void>>();
  /** Rows waiting for a missing topic: id -> when it was first found missing. */
  private readonly parked = new Map<string, number>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly kafka: BatonKafka,
    private readonly options: OutboxRelayOptions,
  ) {
    this.lockKey = hashToInt32(`baton-outbox:${options.schema}`);
    this.loop = new PollingLoop({
      // Rows sent means more may be waiting: go again at once.
      round: async () => (await this.flushOnce()) > 0,
      intervalMs: options.pollIntervalMs ?? 500,
      onError: (error, failures) =>
        options.log('warn', 'outbox relay failed; will retry', {
          err: { message: (error as Error).message },
          failures,
        }),
    });
  }

  start(): void {
    this.loop.start();
  }

  /** Asks for a pass now: used when sending after commit failed. */
  wake(): void {
    this.loop.wake();
  }

  /** Stops polling after publishing everything that is already committed. */
  async stop(): Promise<void> {
    if (!this.loop.isRunning) return;
    await this.loop.stop();
    // Rows whose send is under way are still in the outbox: draining them now would send them twice.
    await this.settled();
    await this.deleting;
    this.graceSeconds = 0; // shutting down: nobody else will send what is left
    while ((await this.flushOnce().catch(() => 0)) > 0) {
      /* drain what is committed */
    }
  }

  /**
   * Starts sending messages whose transaction just committed; their rows are
   * deleted once the broker has them. The caller does not wait for the
   * broker: its rows keep the messages safe until then, and a consumer that
   * waited would fetch its next batch a broker round trip late (ADR 0014).
   * Sends keep the order they were handed off in (BatonKafka.publish).
   * A failure is not the caller's: the rows stay and the poll sends them.
   */
  publishCommitted(ids: string[], messages: OutgoingMessage[]): void {
    const sending = this.kafka.publish(messages).then(
      () => this.forget(ids),
      (error: Error) => {
        this.options.log('warn', 'publishing after commit failed; the relay will retry', {
          err: { message: error.message },
        });
        this.wake();
      },
    );
    this.sending.add(sending);
    void sending.finally(() => this.sending.delete(sending));
  }

  /** Resolves once every send handed off so far has been acknowledged or has failed. */
  async settled(): Promise<void> {
    while (this.sending.size > 0) await Promise.all([...this.sending]);
  }

  /**
   * Deletes sent rows off the writer's path: the writer does not wait for it,
   * and rows sent meanwhile by other transactions go in the same statement.
   * A row whose delete fails is sent again by the poll; consumers deduplicate.
   */
  private forget(ids: string[]): void {
    if (ids.length === 0) return;
    this.sent.push(...ids);
    this.deleting ??= this.deleteSent();
  }

  private async deleteSent(): Promise<void> {
    try {
      // A moment's wait gathers more rows into the delete, and keeps it off the
      // database while the next step of a run is being decided.
      await new Promise((resolve) => setTimeout(resolve, DELETE_DELAY_MS));
      while (this.sent.length > 0) {
        const ids = this.sent.splice(0);
        await this.dataSource
          .query('DELETE FROM outbox WHERE id = ANY($1::bigint[])', [ids])
          .catch((error: Error) =>
            this.options.log('warn', 'deleting sent outbox rows failed; the relay resends them', {
              err: { message: error.message },
            }),
          );
      }
    } finally {
      // Cleared in the same tick as the last check: an id queued later starts a new pass.
      this.deleting = undefined;
    }
  }

  async flushOnce(): Promise<number> {
    // Nearly every poll finds nothing: the writers send their own rows. Asking
    // first costs one statement, where the locked pass costs four (BEGIN, lock,
    // SELECT, COMMIT), in every service twice a second, on cores the running
    // workflows need (bench/README.md, 2026-12-05).
    if (this.parked.size === 0 && !(await this.hasRowsPastGrace())) return 0;
    const batchSize = this.options.batchSize ?? 100;
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = (await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [
        this.lockKey,
      ])) as { locked: boolean }[];
      if (!locked) return 0;
      const parkedDone = this.parked.size > 0 ? await this.retryParked(manager) : 0;
      const rows = (await manager.query(
        // Whole rows, in order, up to about MESSAGES_PER_PASS messages (at least one row):
        // one publish must stay under the broker's request size. Parked rows wait apart.
        `SELECT id, messages FROM (
           SELECT id, messages, sum(jsonb_array_length(messages)) OVER (ORDER BY id) AS upto
             FROM (SELECT id, messages FROM outbox
                    WHERE created_at < now() - make_interval(secs => $2)
                      AND id <> ALL($4::bigint[])
                    ORDER BY id LIMIT $1) oldest) counted
          WHERE upto - jsonb_array_length(messages) < $3 ORDER BY id`,
        [batchSize, this.graceSeconds, MESSAGES_PER_PASS, [...this.parked.keys()]],
      )) as OutboxRow[];
      if (rows.length === 0) return parkedDone;
      const sent = await this.publishRows(rows);
      if (sent.length > 0) {
        await manager.query('DELETE FROM outbox WHERE id = ANY($1::bigint[])', [sent]);
      }
      return sent.length + parkedDone;
    });
  }

  /**
   * Publishes rows, all at once when it can. When a topic is missing, row by
   * row: the rows naming it are parked and everything else goes out, so one
   * deleted topic holds up nothing but its own messages. Returns the sent ids.
   */
  private async publishRows(rows: OutboxRow[]): Promise<string[]> {
    try {
      await this.kafka.publish(rows.flatMap((row) => this.sendableMessagesOf(row)));
      return rows.map((row) => row.id);
    } catch (error) {
      if (!(error instanceof MissingTopicError)) throw error;
    }
    const sent: string[] = [];
    for (const row of rows) {
      try {
        await this.kafka.publish(this.sendableMessagesOf(row));
        sent.push(row.id);
      } catch (error) {
        if (!(error instanceof MissingTopicError)) throw error;
        this.parked.set(row.id, Date.now());
        this.options.log('warn', 'outbox row waits for a missing topic', {
          row: row.id,
          topics: error.topics,
          graceMs: this.missingTopicGraceMs,
        });
      }
    }
    return sent;
  }

  /** The row's messages, any the broker would refuse for its size replaced (undeliverable.ts). */
  private sendableMessagesOf(row: OutboxRow): OutgoingMessage[] {
    return messagesOf(row).map((message) => {
      const sendable = withinBrokerLimit(message, this.options.dlqTopic);
      if (sendable !== message) {
        this.options.log('error', 'outbox message undeliverable: over the broker size limit', {
          row: row.id,
          topic: message.topic,
          type: message.envelope.type,
          id: message.envelope.id,
        });
      }
      return sendable;
    });
  }

  private get missingTopicGraceMs(): number {
    return this.options.missingTopicGraceMs ?? 30_000;
  }

  /**
   * Parked rows whose topic is back are sent; those that waited past the
   * grace have their messages for missing topics replaced (undeliverable.ts)
   * and go out with the rest of their row. Returns how many rows were done.
   */
  private async retryParked(manager: EntityManager): Promise<number> {
    const rows = (await manager.query(
      'SELECT id, messages FROM outbox WHERE id = ANY($1::bigint[]) ORDER BY id',
      [[...this.parked.keys()]],
    )) as OutboxRow[];
    const present = new Set(rows.map((row) => row.id));
    for (const id of this.parked.keys()) if (!present.has(id)) this.parked.delete(id);
    const done: string[] = [];
    for (const row of rows) {
      const messages = this.sendableMessagesOf(row);
      const missing = new Set(await this.kafka.topics.missing(messages.map((m) => m.topic)));
      const waited = Date.now() - this.parked.get(row.id)!;
      if (missing.size > 0 && waited < this.missingTopicGraceMs) continue;
      const outgoing = messages.map((message) =>
        missing.has(message.topic)
          ? undeliverableReplacement(
              message,
              `topic ${message.topic} does not exist (waited ${Math.round(waited / 1000)} s for it)`,
              this.options.dlqTopic,
            )
          : message,
      );
      try {
        await this.kafka.publish(outgoing);
      } catch (error) {
        if (!(error instanceof MissingTopicError)) throw error;
        continue; // a topic went missing in between: the next pass looks again
      }
      if (missing.size > 0) {
        this.options.log('error', 'outbox messages undeliverable: their topic stayed missing', {
          row: row.id,
          topics: [...missing],
        });
      }
      done.push(row.id);
      this.parked.delete(row.id);
    }
    if (done.length > 0) {
      await manager.query('DELETE FROM outbox WHERE id = ANY($1::bigint[])', [done]);
    }
    return done.length;
  }

  /** Whether any row has waited longer than a writer takes to send it: no lock, no transaction. */
  private async hasRowsPastGrace(): Promise<boolean> {
    const [{ waiting }] = (await this.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM outbox
                       WHERE created_at < now() - make_interval(secs => $1)) AS waiting`,
      [this.graceSeconds],
    )) as { waiting: boolean }[];
    return waiting;
  }
}

function messagesOf(row: OutboxRow): OutgoingMessage[] {
  return row.messages.map((m) => ({
    topic: m.topic,
    key: m.key,
    envelope: m.envelope,
    headers: m.headers ?? undefined,
  }));
}

function hashToInt32(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(31, hash) + text.charCodeAt(i)) | 0;
  return hash;
}
