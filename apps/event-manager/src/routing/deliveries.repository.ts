import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { pickDeliverable, type WindowRow } from './delivery-lanes';

export interface NewDelivery {
  workspaceId: string;
  channel: string;
  subscriptionId: string | null;
  routeId: string | null;
  destination: number | null;
  eventId: string;
  lane: string;
  replayId: string | null;
}

/** A leased delivery with what performing it needs; `envelope` is null when retention removed the event. */
export interface ClaimedDelivery extends NewDelivery {
  id: string;
  attempts: number;
  envelope: Record<string, unknown> | null;
}

export type DeliveryOutcome =
  | { id: string; subscriptionId: string | null; kind: 'delivered' }
  | { id: string; subscriptionId: string | null; kind: 'retry'; delayMs: number; error: string }
  | { id: string; subscriptionId: string | null; kind: 'dead'; error: string }
  | { id: string; subscriptionId: string | null; kind: 'release' };

export interface DeliveryRow {
  id: string;
  event_id: string;
  subscription_id: string | null;
  route_id: string | null;
  destination: number | null;
  status: 'pending' | 'delivered' | 'dead' | 'cancelled';
  attempts: number;
  last_error: string | null;
  replay_id: string | null;
  created_at: Date;
  delivered_at: Date | null;
  updated_at: Date;
  name: string | null;
}

const CLAIM_LOCK = 0x0ba7_0d11;
const DELIVERY_COLUMNS = `d.id::text AS id, d.event_id, d.subscription_id, d.route_id, d.destination,
  d.status, d.attempts, d.last_error, d.replay_id, d.created_at, d.delivered_at, d.updated_at`;

@Injectable()
export class DeliveriesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** One statement per batch; ids follow the array order, which is what keeps lanes in order. */
  async insert(manager: EntityManager, rows: NewDelivery[]): Promise<void> {
    if (rows.length === 0) return;
    await manager.query(
      `INSERT INTO deliveries (workspace_id, channel, subscription_id, route_id, destination,
                               event_id, lane, replay_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::uuid[], $5::int[],
                            $6::text[], $7::text[], $8::uuid[])`,
      [
        rows.map((r) => r.workspaceId),
        rows.map((r) => r.channel),
        rows.map((r) => r.subscriptionId),
        rows.map((r) => r.routeId),
        rows.map((r) => r.destination),
        rows.map((r) => r.eventId),
        rows.map((r) => r.lane),
        rows.map((r) => r.replayId),
      ],
    );
  }

  /**
   * Leases what may be delivered now. Claims are serialised by a short
   * transaction-scoped lock, so two dispatchers never lease two rows of one
   * lane out of order; the lease lets a crashed dispatcher's rows go again.
   */
  async claim(options: {
    windowPerChannel: number;
    maxPerLane: number;
    max: number;
    leaseMs: number;
  }): Promise<ClaimedDelivery[]> {
    const ids = await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [CLAIM_LOCK]);
      const window = (await manager.query(
        `WITH channels AS (
           SELECT 'sub:' || id::text AS channel FROM subscriptions WHERE status = 'active'
           UNION ALL
           SELECT 'route:' || r.id::text || ':' || (i - 1)::text
             FROM routes r, generate_series(1, jsonb_array_length(r.destinations)) AS i
         )
         SELECT w.id::text AS id, w.channel, w.lane, w.next_attempt_at <= now() AS due,
                (w.locked_until IS NULL OR w.locked_until < now()) AS free
           FROM channels c
           CROSS JOIN LATERAL (
             SELECT id, channel, lane, next_attempt_at, locked_until FROM deliveries d
              WHERE d.channel = c.channel AND d.status = 'pending'
              ORDER BY d.id LIMIT $1
           ) w
          ORDER BY w.id`,
        [options.windowPerChannel],
      )) as WindowRow[];
      const picked = pickDeliverable(window, options.maxPerLane)
        .slice(0, options.max)
        .map((row) => row.id);
      if (picked.length === 0) return [];
      await manager.query(
        `UPDATE deliveries SET locked_until = now() + $2 * interval '1 millisecond'
          WHERE id = ANY($1::bigint[])`,
        [picked, options.leaseMs],
      );
      return picked;
    });
    if (ids.length === 0) return [];
    const rows = (await this.dataSource.query(
      `SELECT d.id::text AS id, d.workspace_id, d.channel, d.subscription_id, d.route_id,
              d.destination, d.event_id, d.lane, d.replay_id, d.attempts, e.envelope
         FROM deliveries d
         LEFT JOIN events e ON e.workspace_id = d.workspace_id AND e.id = d.event_id
        WHERE d.id = ANY($1::bigint[])
        ORDER BY d.id`,
      [ids],
    )) as Record<string, unknown>[];
    return rows.map((row) => ({
      id: String(row.id),
      workspaceId: String(row.workspace_id),
      channel: String(row.channel),
      subscriptionId: (row.subscription_id as string | null) ?? null,
      routeId: (row.route_id as string | null) ?? null,
      destination: (row.destination as number | null) ?? null,
      eventId: String(row.event_id),
      lane: String(row.lane),
      replayId: (row.replay_id as string | null) ?? null,
      attempts: Number(row.attempts),
      envelope: (row.envelope as Record<string, unknown> | null) ?? null,
    }));
  }

  /** Records a round's outcomes and the subscriptions' counters in one transaction. */
  async record(outcomes: DeliveryOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    const of = <K extends DeliveryOutcome['kind']>(kind: K) =>
      outcomes.filter((o): o is Extract<DeliveryOutcome, { kind: K }> => o.kind === kind);
    const delivered = of('delivered');
    const retries = of('retry');
    const dead = of('dead');
    const released = of('release');
    await this.dataSource.transaction(async (manager) => {
      if (delivered.length > 0) {
        await manager.query(
          `UPDATE deliveries SET status = 'delivered', attempts = attempts + 1, delivered_at = now(),
                  updated_at = now(), locked_until = NULL, last_error = NULL
            WHERE id = ANY($1::bigint[]) AND status = 'pending'`,
          [delivered.map((o) => o.id)],
        );
      }
      if (retries.length > 0) {
        await manager.query(
          `UPDATE deliveries d SET attempts = d.attempts + 1, last_error = u.error, locked_until = NULL,
                  next_attempt_at = now() + u.delay * interval '1 millisecond', updated_at = now()
             FROM unnest($1::bigint[], $2::int[], $3::text[]) AS u(id, delay, error)
            WHERE d.id = u.id AND d.status = 'pending'`,
          [retries.map((o) => o.id), retries.map((o) => o.delayMs), retries.map((o) => o.error)],
        );
      }
      if (dead.length > 0) {
        await manager.query(
          `UPDATE deliveries d SET status = 'dead', attempts = d.attempts + 1, last_error = u.error,
                  locked_until = NULL, updated_at = now()
             FROM unnest($1::bigint[], $2::text[]) AS u(id, error)
            WHERE d.id = u.id AND d.status = 'pending'`,
          [dead.map((o) => o.id), dead.map((o) => o.error)],
        );
      }
      if (released.length > 0) {
        await manager.query(
          `UPDATE deliveries SET locked_until = NULL WHERE id = ANY($1::bigint[])`,
          [released.map((o) => o.id)],
        );
      }
      await this.countOutcomes(manager, outcomes);
    });
  }

  private async countOutcomes(manager: EntityManager, outcomes: DeliveryOutcome[]): Promise<void> {
    const counts = new Map<
      string,
      { delivered: number; failed: number; dead: number; error: string | null }
    >();
    for (const outcome of outcomes) {
      if (!outcome.subscriptionId || outcome.kind === 'release') continue;
      const entry = counts.get(outcome.subscriptionId) ?? {
        delivered: 0,
        failed: 0,
        dead: 0,
        error: null,
      };
      if (outcome.kind === 'delivered') entry.delivered++;
      else {
        entry.failed++;
        if (outcome.kind === 'dead') entry.dead++;
        entry.error = outcome.error;
      }
      counts.set(outcome.subscriptionId, entry);
    }
    if (counts.size === 0) return;
    const entries = [...counts];
    await manager.query(
      `UPDATE subscriptions s SET
              delivered_count = s.delivered_count + u.delivered,
              failure_count = s.failure_count + u.failed,
              dead_count = s.dead_count + u.dead,
              last_delivery_at = CASE WHEN u.delivered > 0 THEN now() ELSE s.last_delivery_at END,
              last_error = coalesce(u.error, s.last_error),
              last_error_at = CASE WHEN u.error IS NOT NULL THEN now() ELSE s.last_error_at END
         FROM unnest($1::uuid[], $2::int[], $3::int[], $4::int[], $5::text[])
              AS u(id, delivered, failed, dead, error)
        WHERE s.id = u.id`,
      [
        entries.map(([id]) => id),
        entries.map(([, c]) => c.delivered),
        entries.map(([, c]) => c.failed),
        entries.map(([, c]) => c.dead),
        entries.map(([, c]) => c.error),
      ],
    );
  }

  async lag(channel: string): Promise<{ lag: number; oldest: Date | null }> {
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS lag, min(created_at) AS oldest
         FROM deliveries WHERE channel = $1 AND status = 'pending'`,
      [channel],
    )) as { lag: number; oldest: Date | null }[];
    return { lag: Number(row.lag), oldest: row.oldest };
  }

  deadLetters(channel: string, afterId: string | undefined, limit: number): Promise<DeliveryRow[]> {
    return this.dataSource.query(
      `SELECT ${DELIVERY_COLUMNS}, NULL AS name FROM deliveries d
        WHERE d.channel = $1 AND d.status = 'dead' AND ($2::bigint IS NULL OR d.id > $2::bigint)
        ORDER BY d.id LIMIT $3`,
      [channel, afterId ?? null, limit],
    ) as Promise<DeliveryRow[]>;
  }

  /**
   * Puts dead letters of a channel (all, or the ids given) back in line as new
   * attempts, due now; their lane order is kept since they keep their ids.
   * Returns how many went back.
   */
  async requeueDead(manager: EntityManager, channel: string, ids?: string[]): Promise<number> {
    const [, count] = (await manager.query(
      `UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = now(),
              locked_until = NULL, updated_at = now()
        WHERE channel = $1 AND status = 'dead' AND ($2::bigint[] IS NULL OR id = ANY($2::bigint[]))`,
      [channel, ids ?? null],
    )) as [unknown, number];
    return count;
  }

  /** What an event matched when it was stored (replays excluded), with each delivery's state. */
  matchesOf(workspaceId: string, eventId: string): Promise<DeliveryRow[]> {
    return this.dataSource.query(
      `SELECT ${DELIVERY_COLUMNS}, coalesce(s.name, r.name) AS name
         FROM deliveries d
         LEFT JOIN subscriptions s ON s.id = d.subscription_id
         LEFT JOIN routes r ON r.id = d.route_id
        WHERE d.workspace_id = $1 AND d.event_id = $2 AND d.replay_id IS NULL
        ORDER BY d.id`,
      [workspaceId, eventId],
    ) as Promise<DeliveryRow[]>;
  }

  async countsOfReplay(replayId: string): Promise<Record<string, number>> {
    const rows = (await this.dataSource.query(
      `SELECT status, count(*)::int AS n FROM deliveries WHERE replay_id = $1 GROUP BY status`,
      [replayId],
    )) as { status: string; n: number }[];
    return Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
  }

  async cancelReplay(manager: EntityManager, replayId: string): Promise<void> {
    await manager.query(
      `UPDATE deliveries SET status = 'cancelled', updated_at = now(), locked_until = NULL
        WHERE replay_id = $1 AND status = 'pending'`,
      [replayId],
    );
  }

  /** Deliveries pending or dead per workspace, kind (subscription or route) and status. */
  async pendingAndDeadCounts(): Promise<
    { workspace_id: string; kind: string; status: string; n: number }[]
  > {
    return (await this.dataSource.query(
      `SELECT workspace_id, CASE WHEN channel LIKE 'sub:%' THEN 'subscription' ELSE 'route' END AS kind,
                    status, count(*)::int AS n
               FROM deliveries WHERE status IN ('pending', 'dead')
              GROUP BY 1, 2, 3`,
    )) as { workspace_id: string; kind: string; status: string; n: number }[];
  }

  /** Seconds the oldest pending delivery has waited; 0 when none is pending. */
  async oldestPendingSeconds(): Promise<number> {
    const rows = (await this.dataSource.query(
      `SELECT extract(epoch FROM now() - min(created_at))::float AS s FROM deliveries WHERE status = 'pending'`,
    )) as { s: number | null }[];
    return Math.max(0, rows[0]?.s ?? 0);
  }
}
