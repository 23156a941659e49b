import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { IsNull, type DataSource } from 'typeorm';
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
  async insert(spec: NewOAuthClient, max: number): Promise<OAuthClientEntity | null> {
    const id = randomUUID();
    const rows = (await this.dataSource.query(
      `INSERT INTO oauth_clients (id, workspace_id, client_id, name, role, secret_hash, created_at)
       SELECT $1, $2, $3, $4, $5, $6, now()
       WHERE (SELECT count(*) FROM oauth_clients WHERE workspace_id = $2 AND deleted_at IS NULL) < $7
       RETURNING id`,
      [id, spec.workspaceId, spec.clientId, spec.name, spec.role, spec.secretHash, max],
    )) as { id: string }[];
    if (rows.length === 0) return null;
    return this.dataSource.manager.findOneByOrFail(OAuthClientEntity, { id });
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

  /** True when a client of this workspace was deleted now. */
  async delete(workspaceId: string, id: string): Promise<boolean> {
    const result = await this.dataSource.manager.update(
      OAuthClientEntity,
      { id, workspaceId, deletedAt: IsNull() },
      { deletedAt: () => 'now()' },
    );
    return (result.affected ?? 0) > 0;
  }

  async touch(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE oauth_clients SET last_used_at = now()
       WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [id],
    );
  }
}
