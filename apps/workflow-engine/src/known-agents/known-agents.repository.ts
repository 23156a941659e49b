import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * Which agents exist, as far as the engine knows from agent-manager's events.
 * The engine never reads agent-manager's schema.
 */
@Injectable()
export class KnownAgentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async upsert(workspaceId: string, names: string[]): Promise<void> {
    if (names.length === 0) return;
    await this.dataSource.query(
      // DISTINCT: one statement may not update a row twice, and a batch of events
      // often names an agent twice (registered again, or redelivered).
      `INSERT INTO known_agents (workspace_id, name)
       SELECT DISTINCT $1, unnest($2::text[])
       ON CONFLICT (workspace_id, name) DO UPDATE SET updated_at = now()`,
      [workspaceId, names],
    );
  }

  async known(workspaceId: string, names: string[], manager?: EntityManager): Promise<Set<string>> {
    if (names.length === 0) return new Set();
    const rows = (await (manager ?? this.dataSource.manager).query(
      'SELECT name FROM known_agents WHERE workspace_id = $1 AND name = ANY($2::text[])',
      [workspaceId, names],
    )) as { name: string }[];
    return new Set(rows.map((r) => r.name));
  }

  /** The workspace's known agent names, `limit` at most. */
  async names(workspaceId: string, limit: number): Promise<Set<string>> {
    const rows = (await this.dataSource.query(
      'SELECT name FROM known_agents WHERE workspace_id = $1 LIMIT $2',
      [workspaceId, limit],
    )) as { name: string }[];
    return new Set(rows.map((row) => row.name));
  }
}
