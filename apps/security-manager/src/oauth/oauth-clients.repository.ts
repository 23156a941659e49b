import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { IsNull, type DataSource, type EntityManager } from 'typeorm';
import { OAuthClientEntity } from './oauth-client.entity';

export interface NewOAuthClient {
  workspaceId: string;
  clientId: string;
  name: string;
  role: string;
  secretHash: string;
}

@Injectable()
export class OAuthClientsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Inserts the client unless the workspace already has `max` of them (the
   * count and the insert are one statement, so concurrent creates cannot pass
   * the cap together by much); null when the cap is reached.
   */
  async insert(
    spec: NewOAuthClient,
    max: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<OAuthClientEntity | null> {
    const id = randomUUID();
    const rows = (await manager.query(
      `INSERT INTO oauth_clients (id, workspace_id, client_id, name, role, secret_hash, created_at)
       SELECT $1, $2, $3, $4, $5, $6, now()
       WHERE (SELECT count(*) FROM oauth_clients WHERE workspace_id = $2 AND deleted_at IS NULL) < $7
       RETURNING id`,
      [id, spec.workspaceId, spec.clientId, spec.name, spec.role, spec.secretHash, max],
    )) as { id: string }[];
    if (rows.length === 0) return null;
    return manager.findOneByOrFail(OAuthClientEntity, { id });
  }

  list(workspaceId: string): Promise<OAuthClientEntity[]> {
    return this.dataSource.manager.find(OAuthClientEntity, {
      where: { workspaceId, deletedAt: IsNull() },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  findActiveByClientId(clientId: string): Promise<OAuthClientEntity | null> {
    return this.dataSource.manager.findOneBy(OAuthClientEntity, { clientId, deletedAt: IsNull() });
  }

  /** The client of this workspace deleted now (its client_id), or null when there was none. */
  async delete(manager: EntityManager, workspaceId: string, id: string): Promise<string | null> {
    const rows = (await manager.query(
      `UPDATE oauth_clients SET deleted_at = now()
       WHERE id = $1 AND workspace_id = $2 AND deleted_at IS NULL
       RETURNING client_id`,
      [id, workspaceId],
    )) as [{ client_id: string }[], number];
    return rows[0][0]?.client_id ?? null;
  }

  /** Clients deleted after `since`: their tokens may still be unexpired. */
  async deletedSince(since: Date): Promise<{ clientId: string; deletedAt: Date }[]> {
    const rows = (await this.dataSource.query(
      `SELECT client_id, deleted_at FROM oauth_clients WHERE deleted_at > $1 ORDER BY deleted_at LIMIT 10000`,
      [since],
    )) as { client_id: string; deleted_at: Date }[];
    return rows.map((row) => ({ clientId: row.client_id, deletedAt: new Date(row.deleted_at) }));
  }

  async touch(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE oauth_clients SET last_used_at = now()
       WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [id],
    );
  }
}
