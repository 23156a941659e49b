import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { SecretEntity } from './secret.entity';

interface SecretRow {
  workspace_id: string;
  name: string;
  sealed: string;
  created_at: Date;
  updated_at: Date;
  created: boolean;
}

function toEntity(row: SecretRow): SecretEntity {
  return Object.assign(new SecretEntity(), {
    workspaceId: row.workspace_id,
    name: row.name,
    sealed: row.sealed,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}

@Injectable()
export class SecretsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Creates or replaces; `created` tells which (xmax = 0 only on a fresh insert). */
  async upsert(
    manager: EntityManager,
    workspaceId: string,
    name: string,
    sealed: string,
  ): Promise<{ secret: SecretEntity; created: boolean }> {
    const rows = (await manager.query(
      `INSERT INTO secrets (workspace_id, name, sealed, created_at, updated_at)
       VALUES ($1, $2, $3, now(), now())
       ON CONFLICT (workspace_id, name) DO UPDATE SET sealed = EXCLUDED.sealed, updated_at = now()
       RETURNING workspace_id, name, sealed, created_at, updated_at, (xmax = 0) AS created`,
      [workspaceId, name, sealed],
    )) as SecretRow[];
    return { secret: toEntity(rows[0]), created: rows[0].created };
  }

  find(workspaceId: string, name: string): Promise<SecretEntity | null> {
    return this.dataSource.manager.findOneBy(SecretEntity, { workspaceId, name });
  }

  /** Names in order, after `after`; `limit` rows at most. */
  list(workspaceId: string, after: string | undefined, limit: number): Promise<SecretEntity[]> {
    const query = this.dataSource.manager
      .createQueryBuilder(SecretEntity, 's')
      .where('s.workspace_id = :workspaceId', { workspaceId })
      .orderBy('s.name', 'ASC')
      .limit(limit);
    if (after !== undefined) query.andWhere('s.name > :after', { after });
    return query.getMany();
  }

  async delete(manager: EntityManager, workspaceId: string, name: string): Promise<boolean> {
    const result = await manager.delete(SecretEntity, { workspaceId, name });
    return (result.affected ?? 0) > 0;
  }
}
