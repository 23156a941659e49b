import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { SamlConfigEntity } from './saml-config.entity';

@Injectable()
export class SamlRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findConfig(workspaceId: string): Promise<SamlConfigEntity | null> {
    return this.dataSource.manager.findOneBy(SamlConfigEntity, { workspaceId });
  }

  async saveConfig(manager: EntityManager, config: SamlConfigEntity): Promise<void> {
    await manager.save(SamlConfigEntity, config);
  }

  /** The config and its pending requests; false when there was none. Sessions are the caller's. */
  async deleteConfig(manager: EntityManager, workspaceId: string): Promise<boolean> {
    const result = await manager.delete(SamlConfigEntity, { workspaceId });
    await manager.query(`DELETE FROM saml_requests WHERE workspace_id = $1`, [workspaceId]);
    return (result.affected ?? 0) > 0;
  }

  async saveRequest(workspaceId: string, requestId: string, expiresAt: Date): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO saml_requests (workspace_id, request_id, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING`,
      [workspaceId, requestId, expiresAt],
    );
  }

  /** When the pending request was made (ISO text, as node-saml stored it), or null. */
  async pendingRequest(workspaceId: string, requestId: string): Promise<string | null> {
    const rows = (await this.dataSource.query(
      `SELECT created_at FROM saml_requests
       WHERE workspace_id = $1 AND request_id = $2 AND expires_at > now()`,
      [workspaceId, requestId],
    )) as { created_at: Date }[];
    return rows[0] ? new Date(rows[0].created_at).toISOString() : null;
  }

  async removeRequest(workspaceId: string, requestId: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM saml_requests WHERE workspace_id = $1 AND request_id = $2`,
      [workspaceId, requestId],
    );
  }

  async isAssertionUsed(workspaceId: string, assertionId: string): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `SELECT 1 FROM saml_assertions WHERE workspace_id = $1 AND assertion_id = $2`,
      [workspaceId, assertionId],
    )) as unknown[];
    return rows.length > 0;
  }

  /** False when the assertion was accepted before: the primary key makes this once across replicas. */
  async markAssertionUsed(
    manager: EntityManager,
    workspaceId: string,
    assertionId: string,
    expiresAt: Date,
  ): Promise<boolean> {
    const rows = (await manager.query(
      `INSERT INTO saml_assertions (workspace_id, assertion_id, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING assertion_id`,
      [workspaceId, assertionId, expiresAt],
    )) as unknown[];
    return rows.length === 1;
  }

  /** Forgets what can no longer matter: expired requests and assertions past their window. */
  async pruneExpired(): Promise<void> {
    await this.dataSource.query(`DELETE FROM saml_requests WHERE expires_at < now()`);
    await this.dataSource.query(`DELETE FROM saml_assertions WHERE expires_at < now()`);
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}
