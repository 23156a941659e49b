import { preparedQuery } from '@baton/database';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AgentEntity, AgentVersionEntity } from './agent.entity';
import type { AgentViewRow } from './agent-view-row';
import { snapshotFromSpec, type AgentSnapshot, type AgentSpec } from './agent-snapshot';

/** An agent agent-manager runs itself (rules, http, llm): the bridge consumes its task topic. */
export interface BridgedAgentRow {
  workspace_id: string;
  name: string;
  status: string;
}

export interface AgentFilter {
  capability?: string;
  type?: string;
  after?: string;
  limit: number;
}

@Injectable()
export class AgentsRepository {
  /** Versions are immutable, so their snapshots are cached for good (bounded). */
  private readonly snapshots = new Map<string, AgentSnapshot>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The agent as it was at `version`: what a task created against that version runs with. */
  async snapshot(
    workspaceId: string,
    name: string,
    version: number,
  ): Promise<AgentSnapshot | null> {
    const key = `${workspaceId}/${name}/${version}`;
    const cached = this.snapshots.get(key);
    if (cached) return cached;
    const row = await this.dataSource.manager.findOneBy(AgentVersionEntity, {
      workspaceId,
      name,
      version,
    });
    if (!row) return null;
    const snapshot = snapshotFromSpec(workspaceId, version, row.spec as unknown as AgentSpec);
    if (this.snapshots.size > 5_000) this.snapshots.clear();
    this.snapshots.set(key, snapshot);
    return snapshot;
  }

  versions(
    workspaceId: string,
    name: string,
    options: { before?: number; limit: number },
  ): Promise<AgentVersionEntity[]> {
    const query = this.dataSource.manager
      .createQueryBuilder(AgentVersionEntity, 'v')
      .where('v.workspace_id = :workspaceId AND v.name = :name', { workspaceId, name })
      .orderBy('v.version', 'DESC')
      .limit(options.limit);
    if (options.before !== undefined)
      query.andWhere('v.version < :before', { before: options.before });
    return query.getMany();
  }

  find(workspaceId: string, name: string, manager?: EntityManager): Promise<AgentEntity | null> {
    return (manager ?? this.dataSource.manager).findOneBy(AgentEntity, { workspaceId, name });
  }

  /** The agent row locked for the rest of the transaction: one change at a time per agent. */
  findForUpdate(
    manager: EntityManager,
    workspaceId: string,
    name: string,
  ): Promise<AgentEntity | null> {
    return manager.findOne(AgentEntity, {
      where: { workspaceId, name },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /**
   * A page of the workspace's agents, with only the columns a view shows, in
   * one prepared statement of fixed text (the filters that are not given are
   * NULL): `GET /v1/agents` at 1,000 req/s paid TypeORM's query builder and
   * hydration of every column, configs and schemas included (issue 20).
   */
  list(workspaceId: string, filter: AgentFilter): Promise<AgentViewRow[]> {
    return preparedQuery<AgentViewRow>(
      this.dataSource.manager,
      `SELECT name, type, runtime, description, capabilities, input_schema AS "inputSchema",
              min_instances AS "minInstances", max_instances AS "maxInstances", version, status,
              created_at AS "createdAt", updated_at AS "updatedAt"
         FROM agents
        WHERE workspace_id = $1
          AND ($2::text IS NULL OR type = $2)
          AND ($3::jsonb IS NULL OR capabilities @> $3)
          AND ($4::text IS NULL OR name > $4)
        ORDER BY name LIMIT $5`,
      [
        workspaceId,
        filter.type ?? null,
        filter.capability === undefined ? null : JSON.stringify([filter.capability]),
        filter.after ?? null,
        filter.limit,
      ],
    );
  }

  async saveVersion(manager: EntityManager, agent: AgentEntity, spec: object): Promise<void> {
    await manager.save(AgentEntity, agent);
    const version = Object.assign(new AgentVersionEntity(), {
      workspaceId: agent.workspaceId,
      name: agent.name,
      version: agent.version,
      spec,
      createdAt: agent.updatedAt,
    });
    await manager.insert(AgentVersionEntity, version);
  }

  /** Agents of the given runtimes that are not decommissioned, across workspaces. */
  async bridged(runtimes: Iterable<string>): Promise<BridgedAgentRow[]> {
    return (await this.dataSource.query(
      `SELECT workspace_id, name, status FROM agents
       WHERE runtime = ANY($1) AND status <> 'decommissioned'`,
      [[...runtimes]],
    )) as BridgedAgentRow[];
  }

  /** Agents waiting for their in-flight work to end before they are decommissioned. */
  decommissioning(): Promise<AgentEntity[]> {
    return this.dataSource.manager.findBy(AgentEntity, { status: 'decommissioning' });
  }

  /** Names of the workspace's agents not decommissioned, the first `limit` by name. */
  async liveNames(workspaceId: string, limit: number): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `SELECT name FROM agents WHERE workspace_id = $1 AND status <> 'decommissioned'
        ORDER BY name LIMIT $2`,
      [workspaceId, limit],
    )) as { name: string }[];
    return rows.map((row) => row.name);
  }

  /** Agents not decommissioned in every workspace, the first `limit` by workspace and name. */
  async liveEverywhere(limit: number): Promise<{ workspace_id: string; name: string }[]> {
    return (await this.dataSource.query(
      `SELECT workspace_id, name FROM agents WHERE status <> 'decommissioned'
        ORDER BY workspace_id, name LIMIT $1`,
      [limit],
    )) as { workspace_id: string; name: string }[];
  }

  /** Those of `names` that are agents of the workspace (in any status). */
  async existingNames(workspaceId: string, names: readonly string[]): Promise<string[]> {
    if (names.length === 0) return [];
    const rows = (await this.dataSource.query(
      `SELECT name FROM agents WHERE workspace_id = $1 AND name = ANY($2::text[])`,
      [workspaceId, names],
    )) as { name: string }[];
    return rows.map((row) => row.name);
  }
}
