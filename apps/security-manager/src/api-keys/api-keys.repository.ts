import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { ApiKeyEntity } from './api-key.entity';

export interface KeySpec {
  workspaceId: string;
  name: string;
  prefix: string;
  keyHash: string;
  roles: string[];
}

/** A key found by its hash, with the state of its workspace. */
export interface KeyWithWorkspace {
  key: ApiKeyEntity;
  workspaceDeleted: boolean;
}

@Injectable()
export class ApiKeysRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Looked up by hash through the unique index: the key itself is never
   * compared or stored. Revoked and expired keys are found too, so that the
   * answer can say which it is.
   */
  async findByHash(keyHash: string): Promise<KeyWithWorkspace | null> {
    const key = await this.dataSource.manager.findOneBy(ApiKeyEntity, { keyHash });
    if (!key) return null;
    const rows = (await this.dataSource.query(
      'SELECT deleted_at IS NOT NULL AS deleted FROM workspaces WHERE id = $1',
      [key.workspaceId],
    )) as { deleted: boolean }[];
    return { key, workspaceDeleted: rows[0]?.deleted ?? true };
  }

  /** Only ever within the workspace: a key of another workspace is not found (404). */
  findInWorkspace(
    workspaceId: string,
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ApiKeyEntity | null> {
    return manager.findOneBy(ApiKeyEntity, { workspaceId, id });
  }

  /** Oldest first, by (created_at to the millisecond, as cursors carry it, then id). */
  list(
    workspaceId: string,
    limit: number,
    after?: { createdAt: string; id: string },
  ): Promise<ApiKeyEntity[]> {
    const query = this.dataSource.manager
      .createQueryBuilder(ApiKeyEntity, 'k')
      .where('k.workspace_id = :workspaceId', { workspaceId })
      .orderBy("date_trunc('milliseconds', k.created_at)", 'ASC')
      .addOrderBy('k.id', 'ASC')
      .limit(limit);
    if (after) {
      query.andWhere(
        "(date_trunc('milliseconds', k.created_at), k.id) > (:createdAt::timestamptz, :id::uuid)",
        after,
      );
    }
    return query.getMany();
  }

  async insert(manager: EntityManager, key: ApiKeyEntity): Promise<void> {
    await manager.insert(ApiKeyEntity, key);
  }

  /** True when this call revoked it (it was not revoked before). */
  async revoke(manager: EntityManager, workspaceId: string, id: string): Promise<boolean> {
    const rows = (await manager.query(
      `UPDATE api_keys SET revoked_at = now()
       WHERE workspace_id = $1 AND id = $2 AND revoked_at IS NULL RETURNING id`,
      [workspaceId, id],
    )) as unknown[][];
    return (rows[0]?.length ?? 0) > 0;
  }

  async markRotated(
    manager: EntityManager,
    id: string,
    successorId: string,
    expiresAt: Date,
  ): Promise<void> {
    await manager.query('UPDATE api_keys SET replaced_by = $2, expires_at = $3 WHERE id = $1', [
      id,
      successorId,
      expiresAt,
    ]);
  }

  /** Purge: every key of the workspace, hashes included, is gone. */
  async deleteAllOfWorkspace(manager: EntityManager, workspaceId: string): Promise<number> {
    const result = (await manager.query(
      'DELETE FROM api_keys WHERE workspace_id = $1 RETURNING id',
      [workspaceId],
    )) as unknown[][];
    return result[0]?.length ?? 0;
  }

  /** The condition repeats the minute check, so concurrent verifications write once. */
  async touch(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE api_keys SET last_used_at = now()
       WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [id],
    );
  }

  /**
   * Creates or replaces the bootstrap key named `name` in its workspace: a
   * changed key replaces the old hash, so a rotated key stops working on the
   * next start.
   */
  async upsertBootstrap(spec: KeySpec): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO api_keys (id, workspace_id, name, prefix, key_hash, roles, created_at, origin, created_by)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, now(), 'bootstrap', 'environment')
       ON CONFLICT (workspace_id, name) WHERE origin = 'bootstrap' DO UPDATE
         SET prefix = EXCLUDED.prefix, key_hash = EXCLUDED.key_hash, roles = EXCLUDED.roles, revoked_at = NULL
         WHERE api_keys.key_hash IS DISTINCT FROM EXCLUDED.key_hash
            OR api_keys.roles IS DISTINCT FROM EXCLUDED.roles
            OR api_keys.revoked_at IS NOT NULL`,
      [
        randomUUID(),
        spec.workspaceId,
        spec.name,
        spec.prefix,
        spec.keyHash,
        JSON.stringify(spec.roles),
      ],
    );
  }

  /** With BATON_BOOTSTRAP_API_KEY unset, the key it once gave stops working; answers its id. */
  async revokeBootstrap(
    manager: EntityManager,
    workspaceId: string,
    name: string,
  ): Promise<string | undefined> {
    const rows = (await manager.query(
      `UPDATE api_keys SET revoked_at = now()
       WHERE workspace_id = $1 AND name = $2 AND origin = 'bootstrap' AND revoked_at IS NULL
       RETURNING id`,
      [workspaceId, name],
    )) as [{ id: string }[], number];
    return rows[0]?.[0]?.id;
  }
}
