import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AgentEntity, AgentVersionEntity } from './agent.entity';
import { snapshotFromSpec, type AgentSnapshot, type AgentSpec } from './agent-snapshot';

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

  async list(workspaceId: string, filter: AgentFilter): Promise<AgentEntity[]> {
    const query = this.dataSource.manager
      .createQueryBuilder(AgentEntity, 'a')
      .where('a.workspace_id = :workspaceId', { workspaceId })
      .orderBy('a.name', 'ASC')
      .limit(filter.limit);
    if (filter.type) query.andWhere('a.type = :type', { type: filter.type });
    if (filter.capability) {
      query.andWhere('a.capabilities @> :capability::jsonb', {
        capability: JSON.stringify([filter.capability]),
      });
    }
    if (filter.after) query.andWhere('a.name > :after', { after: filter.after });
    return query.getMany();
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
}
