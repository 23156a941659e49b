import type { MigrationInterface, QueryRunner } from 'typeorm';
import { chainHash, GENESIS_HASH } from '../audit/audit-chain';

/**
 * The audit log becomes a hash chain per workspace: each record has its
 * `seq`, the `prev_hash` of the record before it and its own `hash`; the head
 * of each workspace's chain is one row, locked by whoever appends. Records
 * stored before this migration are chained in the order they were received.
 */
export class AuditChain1765000000004 implements MigrationInterface {
  name = 'AuditChain1765000000004';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE audit_log
        ADD COLUMN seq bigint,
        ADD COLUMN prev_hash text,
        ADD COLUMN hash text,
        ADD COLUMN credential text,
        ADD COLUMN source text NOT NULL DEFAULT 'gateway'`);
    await runner.query(`
      CREATE TABLE audit_chain_heads (
        workspace_id text PRIMARY KEY,
        seq bigint NOT NULL,
        hash text NOT NULL
      )`);
    const rows = (await runner.query(
      `SELECT message_id, workspace_id, source, actor, action, resource, outcome, details,
              correlation_id, time
       FROM audit_log ORDER BY workspace_id, received_at, message_id`,
    )) as {
      message_id: string;
      workspace_id: string;
      source: string;
      actor: string;
      action: string;
      resource: string;
      outcome: string;
      details: Record<string, unknown>;
      correlation_id: string;
      time: Date;
    }[];
    const heads = new Map<string, { seq: number; hash: string }>();
    for (const row of rows) {
      const head = heads.get(row.workspace_id) ?? { seq: 0, hash: GENESIS_HASH };
      const seq = head.seq + 1;
      const hash = chainHash(head.hash, {
        id: row.message_id,
        workspace_id: row.workspace_id,
        seq,
        source: row.source,
        actor: row.actor,
        credential: null,
        action: row.action,
        resource: row.resource,
        outcome: row.outcome,
        details: row.details,
        correlation_id: row.correlation_id,
        time: row.time.toISOString(),
      });
      await runner.query(
        `UPDATE audit_log SET seq = $2, prev_hash = $3, hash = $4, time = $5 WHERE message_id = $1`,
        [row.message_id, seq, head.hash, hash, row.time.toISOString()],
      );
      heads.set(row.workspace_id, { seq, hash });
    }
    for (const [workspaceId, head] of heads) {
      await runner.query(
        `INSERT INTO audit_chain_heads (workspace_id, seq, hash) VALUES ($1, $2, $3)`,
        [workspaceId, head.seq, head.hash],
      );
    }
    await runner.query(`
      ALTER TABLE audit_log
        ALTER COLUMN seq SET NOT NULL,
        ALTER COLUMN prev_hash SET NOT NULL,
        ALTER COLUMN hash SET NOT NULL,
        ALTER COLUMN source DROP DEFAULT`);
    await runner.query(
      `CREATE UNIQUE INDEX audit_log_workspace_seq ON audit_log (workspace_id, seq)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX audit_log_workspace_seq');
    await runner.query('DROP TABLE audit_chain_heads');
    await runner.query(
      'ALTER TABLE audit_log DROP COLUMN seq, DROP COLUMN prev_hash, DROP COLUMN hash, DROP COLUMN credential, DROP COLUMN source',
    );
  }
}
