import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { WorkspaceEntity } from './workspace.entity';

/** security-manager's tables of a workspace's data that a purge removes (audit_log stays). */
const PURGED_TABLES = [
  'secrets',
  'oauth_clients',
  'identity_providers',
  'sessions',
  'saml_requests',
  'saml_assertions',
  'saml_configs',
  'workspace_limits',
] as const;

@Injectable()
export class WorkspacesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Creates the workspace unless it exists; safe when several replicas start together. */
  async ensure(id: string, name: string): Promise<void> {
    await this.dataSource.query(
      'INSERT INTO workspaces (id, name, created_at) VALUES ($1, $2, now()) ON CONFLICT (id) DO NOTHING',
      [id, name],
    );
  }

  /** False when the id is taken, by a live, deleted or purged workspace alike. */
  async insert(manager: EntityManager, id: string, name: string): Promise<boolean> {
    const rows = (await manager.query(
      `INSERT INTO workspaces (id, name, created_at, updated_at) VALUES ($1, $2, now(), now())
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [id, name],
    )) as unknown[];
    return rows.length === 1;
  }

  find(
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<WorkspaceEntity | null> {
    return manager.findOneBy(WorkspaceEntity, { id });
  }

  /** A workspace that exists and is not deleted. */
  async isLive(id: string): Promise<boolean> {
    const rows = (await this.dataSource.query(
      'SELECT 1 FROM workspaces WHERE id = $1 AND deleted_at IS NULL',
      [id],
    )) as unknown[];
    return rows.length > 0;
  }

  /** Locks the row for the rest of the transaction: delete and purge do not race. */
  findForUpdate(manager: EntityManager, id: string): Promise<WorkspaceEntity | null> {
    return manager
      .createQueryBuilder(WorkspaceEntity, 'w')
      .setLock('pessimistic_write')
      .where('w.id = :id', { id })
      .getOne();
  }

  /** By id, after `afterId` when given. */
  list(limit: number, afterId?: string): Promise<WorkspaceEntity[]> {
    const query = this.dataSource.manager
      .createQueryBuilder(WorkspaceEntity, 'w')
      .orderBy('w.id', 'ASC')
      .limit(limit);
    if (afterId !== undefined) query.where('w.id > :afterId', { afterId });
    return query.getMany();
  }

  async rename(manager: EntityManager, id: string, name: string): Promise<void> {
    await manager.query('UPDATE workspaces SET name = $2, updated_at = now() WHERE id = $1', [
      id,
      name,
    ]);
  }

  async markDeleted(manager: EntityManager, id: string): Promise<void> {
    await manager.query(
      'UPDATE workspaces SET deleted_at = now(), updated_at = now() WHERE id = $1 AND deleted_at IS NULL',
      [id],
    );
  }

  /**
   * Deletes what security-manager holds of a workspace besides its keys (done
   * by ApiKeysRepository) and its audit trail (never deleted): vault secrets,
   * OAuth clients, identity providers, SAML configuration and sessions,
   * limits. Answers the rows deleted per table.
   */
  async deleteOwnedRows(manager: EntityManager, id: string): Promise<Record<string, number>> {
    const deleted: Record<string, number> = {};
    for (const table of PURGED_TABLES) {
      const [, count] = (await manager.query(`DELETE FROM ${table} WHERE workspace_id = $1`, [
        id,
      ])) as [unknown, number];
      deleted[table] = count;
    }
    return deleted;
  }

  /** Every deleted (or purged) workspace: their credentials are refused everywhere. */
  async deletedIds(): Promise<string[]> {
    const rows = (await this.dataSource.query(
      'SELECT id FROM workspaces WHERE deleted_at IS NOT NULL ORDER BY id',
    )) as { id: string }[];
    return rows.map((row) => row.id);
  }

  async markPurged(manager: EntityManager, id: string): Promise<void> {
    await manager.query(
      'UPDATE workspaces SET purged_at = now(), updated_at = now() WHERE id = $1',
      [id],
    );
  }
}
