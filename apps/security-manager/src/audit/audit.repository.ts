import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { chainHash, GENESIS_HASH, type AuditFacts, type StoredLink } from './audit-chain';

export interface NewAuditEntry extends AuditFacts {
  messageId: string;
  workspaceId: string;
  correlationId: string;
  time: string;
}

export interface AuditRow extends AuditFacts {
  message_id: string;
  seq: string;
  correlation_id: string;
  time: Date;
  /** `time` in Postgres' own text form: exact to the microsecond, so cursors never skip a row. */
  time_key: string;
}

export interface AuditFilter {
  action?: string;
  before?: { time: string; messageId: string };
  limit: number;
}

export interface ChainHead {
  seq: number;
  hash: string;
}

@Injectable()
export class AuditRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Appends a batch to the chains of its workspaces, in one transaction (see
   * appendAuditEntries).
   */
  async append(entries: NewAuditEntry[]): Promise<number> {
    if (entries.length === 0) return 0;
    return this.dataSource.transaction((manager) => appendAuditEntries(manager, entries));
  }

  async head(workspaceId: string): Promise<ChainHead> {
    const [row] = (await this.dataSource.query(
      'SELECT seq, hash FROM audit_chain_heads WHERE workspace_id = $1',
      [workspaceId],
    )) as { seq: string; hash: string }[];
    return row ? { seq: Number(row.seq), hash: row.hash } : { seq: 0, hash: GENESIS_HASH };
  }

  /** Up to `limit` links of a workspace's chain after `afterSeq` and up to `uptoSeq`, in order. */
  async links(
    workspaceId: string,
    afterSeq: number,
    uptoSeq: number,
    limit: number,
  ): Promise<StoredLink[]> {
    const rows = (await this.dataSource.query(
      `SELECT message_id, workspace_id, seq, source, actor, credential, action, resource, outcome,
              details, correlation_id, time, prev_hash, hash
       FROM audit_log WHERE workspace_id = $1 AND seq > $2 AND seq <= $3
       ORDER BY seq LIMIT $4`,
      [workspaceId, afterSeq, uptoSeq, limit],
    )) as (Omit<StoredLink, 'id' | 'seq' | 'time'> & {
      message_id: string;
      seq: string;
      time: Date;
    })[];
    return rows.map(({ message_id, seq, time, ...rest }) => ({
      ...rest,
      id: message_id,
      seq: Number(seq),
      time: time.toISOString(),
    }));
  }

  /** Newest first; ties on time are broken by message id so the order is total. */
  list(workspaceId: string, filter: AuditFilter): Promise<AuditRow[]> {
    const params: unknown[] = [workspaceId];
    const where = ['workspace_id = $1'];
    if (filter.action) {
      params.push(filter.action);
      where.push(`action = $${params.length}`);
    }
    if (filter.before) {
      params.push(filter.before.time, filter.before.messageId);
      where.push(`(time, message_id) < ($${params.length - 1}::timestamptz, $${params.length})`);
    }
    params.push(filter.limit);
    return this.dataSource.query(
      `SELECT message_id, seq, source, actor, credential, action, resource, outcome, details,
              correlation_id, time, time::text AS time_key
       FROM audit_log WHERE ${where.join(' AND ')}
       ORDER BY time DESC, message_id DESC
       LIMIT $${params.length}`,
      params,
    ) as Promise<AuditRow[]>;
  }
}

/**
 * Appends entries to the chains of their workspaces inside the caller's
 * transaction. Each workspace's head row is locked first (in a fixed order, so
 * two writers never deadlock), so concurrent writers of one workspace queue
 * instead of forking its chain; an entry whose message id is stored already
 * (a redelivery) is skipped before it gets a seq.
 */
export async function appendAuditEntries(
  manager: EntityManager,
  entries: NewAuditEntry[],
): Promise<number> {
  const ids = [...new Set(entries.map((e) => e.messageId))];
  const stored = (await manager.query(
    'SELECT message_id FROM audit_log WHERE message_id = ANY($1::text[])',
    [ids],
  )) as { message_id: string }[];
  const seen = new Set(stored.map((row) => row.message_id));
  const byWorkspace = new Map<string, NewAuditEntry[]>();
  for (const entry of entries) {
    if (seen.has(entry.messageId)) continue;
    seen.add(entry.messageId);
    const list = byWorkspace.get(entry.workspaceId) ?? [];
    list.push(entry);
    byWorkspace.set(entry.workspaceId, list);
  }
  let appended = 0;
  for (const workspaceId of [...byWorkspace.keys()].sort()) {
    appended += await appendToChain(manager, workspaceId, byWorkspace.get(workspaceId)!);
  }
  return appended;
}

async function appendToChain(
  manager: EntityManager,
  workspaceId: string,
  entries: NewAuditEntry[],
): Promise<number> {
  await manager.query(
    `INSERT INTO audit_chain_heads (workspace_id, seq, hash) VALUES ($1, 0, $2)
     ON CONFLICT (workspace_id) DO NOTHING`,
    [workspaceId, GENESIS_HASH],
  );
  const [head] = (await manager.query(
    'SELECT seq, hash FROM audit_chain_heads WHERE workspace_id = $1 FOR UPDATE',
    [workspaceId],
  )) as { seq: string; hash: string }[];
  let seq = Number(head.seq);
  let prevHash = head.hash;
  const links: StoredLink[] = entries.map((entry) => {
    seq += 1;
    const fields = {
      id: entry.messageId,
      workspace_id: workspaceId,
      seq,
      source: entry.source,
      actor: entry.actor,
      credential: entry.credential,
      action: entry.action,
      resource: entry.resource,
      outcome: entry.outcome,
      // As jsonb gives it back: what the verifier will hash.
      details: JSON.parse(JSON.stringify(entry.details)) as Record<string, unknown>,
      correlation_id: entry.correlationId,
      // Milliseconds, as a JS Date read back from Postgres has them.
      time: new Date(entry.time).toISOString(),
    };
    const hash = chainHash(prevHash, fields);
    const link = { ...fields, prev_hash: prevHash, hash };
    prevHash = hash;
    return link;
  });
  await manager.query(
    `INSERT INTO audit_log (message_id, workspace_id, seq, source, actor, credential, action, resource,
                            outcome, details, correlation_id, time, prev_hash, hash)
     SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[],
                          $7::text[], $8::text[], $9::text[], $10::jsonb[], $11::text[],
                          $12::timestamptz[], $13::text[], $14::text[])`,
    [
      links.map((l) => l.id),
      links.map((l) => l.workspace_id),
      links.map((l) => l.seq),
      links.map((l) => l.source),
      links.map((l) => l.actor),
      links.map((l) => l.credential),
      links.map((l) => l.action),
      links.map((l) => l.resource),
      links.map((l) => l.outcome),
      links.map((l) => JSON.stringify(l.details)),
      links.map((l) => l.correlation_id),
      links.map((l) => l.time),
      links.map((l) => l.prev_hash),
      links.map((l) => l.hash),
    ],
  );
  await manager.query('UPDATE audit_chain_heads SET seq = $2, hash = $3 WHERE workspace_id = $1', [
    workspaceId,
    seq,
    prevHash,
  ]);
  return links.length;
}
