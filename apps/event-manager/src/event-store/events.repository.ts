import type { Envelope } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { TypeFilter } from './event-type-pattern';
import type { StreamPosition } from './stream-position';
import { typePatternsSql } from './type-pattern-sql';
import { StoredEventEntity } from './stored-event.entity';

/** An event on its way in: the envelope as decoded, and where Kafka had it. */
export interface NewStoredEvent {
  envelope: Envelope;
  topic: string;
  partition: number;
  offset: string;
}

export interface EventFilter {
  type?: TypeFilter;
  source?: string;
  subject?: string;
  correlationId?: string;
  from?: string;
  to?: string;
  /** The id of the last event of the previous page. */
  after?: string;
  limit: number;
}

/** An event with its place in the stream (the storing transaction is not an entity column). */
export interface FollowedEvent {
  event: StoredEventEntity;
  position: StreamPosition;
}

export interface FollowFilter {
  types: readonly string[];
  subject?: string;
  source?: string;
  after?: StreamPosition;
  limit: number;
}

@Injectable()
export class EventsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * One statement per batch, whatever its size: the ingest path's cost is a
   * round trip per fetched batch, not per event. The batch travels as one
   * JSON document (the driver would otherwise escape every envelope as an
   * array element, which cost more than the insert) and Postgres reads the
   * columns out of each envelope. Runs in the caller's transaction and returns
   * the keys (`workspace\nid`) that were new.
   */
  async insertMany(manager: EntityManager, events: NewStoredEvent[]): Promise<Set<string>> {
    if (events.length === 0) return new Set();
    const batch = JSON.stringify(
      events.map((e) => ({ t: e.topic, p: e.partition, o: e.offset, e: e.envelope })),
    );
    const rows = (await manager.query(
      `INSERT INTO events (workspace_id, id, type, source, subject, time, correlation_id,
                           causation_id, envelope, topic, partition, "offset")
       SELECT r.v -> 'e' ->> 'workspaceid', r.v -> 'e' ->> 'id', r.v -> 'e' ->> 'type',
              r.v -> 'e' ->> 'source', r.v -> 'e' ->> 'subject', (r.v -> 'e' ->> 'time')::timestamptz,
              r.v -> 'e' ->> 'correlationid', r.v -> 'e' ->> 'causationid', r.v -> 'e',
              r.v ->> 't', (r.v ->> 'p')::int, (r.v ->> 'o')::bigint
         FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS r(v, n)
        ORDER BY r.n
       ON CONFLICT (workspace_id, id) DO NOTHING
       RETURNING workspace_id, id`,
      [batch],
    )) as { workspace_id: string; id: string }[];
    return new Set(rows.map((row) => `${row.workspace_id}\n${row.id}`));
  }

  find(workspaceId: string, id: string): Promise<StoredEventEntity | null> {
    return this.dataSource.manager.findOneBy(StoredEventEntity, { workspaceId, id });
  }

  /** These events of the workspace (by primary key); ids of other workspaces are not found. */
  findMany(workspaceId: string, ids: string[]): Promise<StoredEventEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource.manager
      .createQueryBuilder(StoredEventEntity, 'e')
      .where('e.workspace_id = :workspaceId AND e.id = ANY(:ids)', { workspaceId, ids })
      .getMany();
  }

  /** Newest first by arrival; served by the (workspace_id, seq) index. */
  list(workspaceId: string, filter: EventFilter): Promise<StoredEventEntity[]> {
    const query = this.dataSource.manager
      .createQueryBuilder(StoredEventEntity, 'e')
      .where('e.workspace_id = :workspaceId', { workspaceId })
      .orderBy('e.seq', 'DESC')
      .limit(filter.limit);
    if (filter.type?.kind === 'exact')
      query.andWhere('e.type = :type', { type: filter.type.value });
    if (filter.type?.kind === 'like') {
      query.andWhere(`e.type LIKE :type ESCAPE '\\'`, { type: filter.type.value });
    }
    if (filter.source) query.andWhere('e.source = :source', { source: filter.source });
    if (filter.subject) query.andWhere('e.subject = :subject', { subject: filter.subject });
    if (filter.correlationId) {
      // Spelled so that the partial correlation index and the primary key both serve it.
      query.andWhere(
        `((e.correlation_id = :correlationId AND e.correlation_id <> e.id)
          OR (e.id = :correlationId AND e.correlation_id = :correlationId))`,
        { correlationId: filter.correlationId },
      );
    }
    if (filter.from) query.andWhere('e.time >= :from', { from: filter.from });
    if (filter.to) query.andWhere('e.time < :to', { to: filter.to });
    if (filter.after) {
      // The cursor names an event; its place in arrival order is read back here.
      query.andWhere(
        `e.seq < (SELECT c.seq FROM events c WHERE c.workspace_id = :workspaceId AND c.id = :after)`,
        { after: filter.after },
      );
    }
    return query.getMany();
  }

  /**
   * Events after a stream position in (xid, seq) order, oldest first, but only
   * those of transactions older than every running one (the horizon, answered
   * too): a transaction still running may commit events that belong before
   * any later one. The horizon comes from the statement's own snapshot, so
   * nothing committed between reading and answering is skipped. Without a
   * position, no events: the horizon is where to start.
   */
  async follow(
    workspaceId: string,
    filter: FollowFilter,
  ): Promise<{ rows: FollowedEvent[]; horizon: string }> {
    const params: unknown[] = [workspaceId];
    const param = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    const conditions = ['e.workspace_id = $1', 'e.xid < h.horizon'];
    if (filter.after === undefined) {
      conditions.push('false');
    } else {
      conditions.push(
        `(e.xid, e.seq) > (${param(filter.after.xid)}::xid8, ${param(filter.after.seq)}::bigint)`,
        typePatternsSql(filter.types, param),
      );
    }
    if (filter.subject !== undefined) conditions.push(`e.subject = ${param(filter.subject)}`);
    if (filter.source !== undefined) conditions.push(`e.source = ${param(filter.source)}`);
    const rows = (await this.dataSource.query(
      `SELECT h.horizon::text AS horizon, f.*
         FROM (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS horizon) h
         LEFT JOIN LATERAL (
           SELECT e.*, e.xid::text AS xid_text
             FROM events e
            WHERE ${conditions.join(' AND ')}
            ORDER BY e.xid, e.seq
            LIMIT ${param(filter.limit)}
         ) f ON true`,
      params,
    )) as (RawEventRow | { horizon: string; id: null })[];
    const found = rows.filter((row): row is RawEventRow => row.id !== null);
    return {
      rows: found.map((row) => ({
        event: toEntity(row),
        position: { xid: row.xid_text, seq: row.seq },
      })),
      horizon: rows[0].horizon,
    };
  }
}

interface RawEventRow {
  workspace_id: string;
  id: string;
  type: string;
  source: string;
  subject: string | null;
  time: Date;
  correlation_id: string;
  causation_id: string | null;
  envelope: Record<string, unknown>;
  topic: string;
  partition: number;
  offset: string;
  received_at: Date;
  seq: string;
  xid_text: string;
  horizon: string;
}

function toEntity(row: RawEventRow): StoredEventEntity {
  return Object.assign(new StoredEventEntity(), {
    workspaceId: row.workspace_id,
    id: row.id,
    type: row.type,
    source: row.source,
    subject: row.subject,
    time: row.time,
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    envelope: row.envelope,
    topic: row.topic,
    partition: row.partition,
    offset: row.offset,
    receivedAt: row.received_at,
    seq: row.seq,
  });
}
