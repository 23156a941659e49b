import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { ConnectionEntity } from './connection.entity';

export interface ConnectionSpec {
  workspaceId: string;
  name: string;
  connector: string;
  config: Record<string, unknown>;
  secretsCiphertext: string | null;
}

interface UpsertRow {
  created: boolean;
  created_at: Date;
  updated_at: Date;
}

@Injectable()
export class ConnectionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  find(workspaceId: string, name: string): Promise<ConnectionEntity | null> {
    return this.dataSource.manager.findOneBy(ConnectionEntity, { workspaceId, name });
  }

  list(workspaceId: string, connector?: string): Promise<ConnectionEntity[]> {
    return this.dataSource.manager.find(ConnectionEntity, {
      where: connector ? { workspaceId, connector } : { workspaceId },
      order: { name: 'ASC' },
    });
  }

  /** Creates or replaces in one statement; `xmax = 0` tells a fresh insert from an update. */
  async upsert(
    spec: ConnectionSpec,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ created: boolean; connection: ConnectionEntity }> {
    const [row] = (await manager.query(
      `INSERT INTO connections (workspace_id, name, connector, config, secrets_ciphertext, created_at, updated_at)
       VALUES ($1, $2, $3, $4::jsonb, $5, now(), now())
       ON CONFLICT (workspace_id, name) DO UPDATE
         SET connector = EXCLUDED.connector, config = EXCLUDED.config,
             secrets_ciphertext = EXCLUDED.secrets_ciphertext, updated_at = now()
       RETURNING (xmax = 0) AS created, created_at, updated_at`,
      [
        spec.workspaceId,
        spec.name,
        spec.connector,
        JSON.stringify(spec.config),
        spec.secretsCiphertext,
      ],
    )) as UpsertRow[];
    const connection = Object.assign(new ConnectionEntity(), spec, {
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    });
    return { created: row.created, connection };
  }

  /** Replaces config and secrets of an existing connection; null when it is gone. */
  async update(
    spec: ConnectionSpec,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ConnectionEntity | null> {
    const rows = (await manager.query(
      `UPDATE connections SET config = $3::jsonb, secrets_ciphertext = $4, updated_at = clock_timestamp()
       WHERE workspace_id = $1 AND name = $2
       RETURNING created_at, updated_at`,
      [spec.workspaceId, spec.name, JSON.stringify(spec.config), spec.secretsCiphertext],
    )) as [{ created_at: Date; updated_at: Date }[], number];
    const row = rows[0]?.[0];
    if (!row) return null;
    return Object.assign(new ConnectionEntity(), spec, {
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    });
  }

  /** True when there was such a connection. Its deliveries stay (they are history). */
  async delete(
    workspaceId: string,
    name: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    const result = await manager.delete(ConnectionEntity, { workspaceId, name });
    return (result.affected ?? 0) > 0;
  }

  /** Those of `names` that are connections of the workspace. */
  async existingNames(workspaceId: string, names: readonly string[]): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `SELECT name FROM connections WHERE workspace_id = $1 AND name = ANY($2::text[])`,
      [workspaceId, names],
    )) as { name: string }[];
    return rows.map((row) => row.name);
  }
}
