import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { IsNull, type DataSource } from 'typeorm';
import { ApiKeyEntity } from './api-key.entity';

export interface KeySpec {
  workspaceId: string;
  name: string;
  prefix: string;
  keyHash: string;
  roles: string[];
}

@Injectable()
export class ApiKeysRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Looked up by hash through the unique index: the key itself is never compared or stored. */
  findActiveByHash(keyHash: string): Promise<ApiKeyEntity | null> {
    return this.dataSource.manager.findOneBy(ApiKeyEntity, { keyHash, revokedAt: IsNull() });
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
   * Creates or replaces the key named `name` in its workspace: a changed key
   * replaces the old hash, so a rotated key stops working on the next start.
   */
  async upsertByName(spec: KeySpec): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO api_keys (id, workspace_id, name, prefix, key_hash, roles, created_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, now())
       ON CONFLICT (workspace_id, name) DO UPDATE
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
}
