import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

/** Signatures of accepted hook calls (table hook_signatures): the replay guard. */
@Injectable()
export class HookSignaturesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Remembers a signature; false when it was already there (a replay). Expired ones do not count. */
  async remember(
    manager: EntityManager,
    row: {
      workspaceId: string;
      connection: string;
      digest: string;
      eventId: string;
      expiresAt: Date;
    },
  ): Promise<boolean> {
    const inserted = (await manager.query(
      `INSERT INTO hook_signatures (workspace_id, connection, digest, event_id, expires_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (workspace_id, connection, digest) DO UPDATE
         SET event_id = EXCLUDED.event_id, expires_at = EXCLUDED.expires_at
         WHERE hook_signatures.expires_at < now()
       RETURNING event_id`,
      [row.workspaceId, row.connection, row.digest, row.eventId, row.expiresAt],
    )) as unknown[];
    return inserted.length === 1;
  }

  /** Drops signatures whose window has passed (the time check refuses those calls by itself). */
  async purgeExpired(limit = 1000): Promise<number> {
    const deleted = (await this.dataSource.query(
      `DELETE FROM hook_signatures WHERE ctid IN (
         SELECT ctid FROM hook_signatures WHERE expires_at < now() LIMIT $1)
       RETURNING 1`,
      [limit],
    )) as unknown[];
    return deleted.length;
  }
}
