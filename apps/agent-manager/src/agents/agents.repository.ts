import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AgentEntity, AgentVersionEntity } from './agent.entity';

export interface AgentFilter {
  capability?: string;
  type?: string;
  after?: string;
  limit: number;
}

@Injectable()
export class AgentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  find(workspaceId: string, name: string, manager?: EntityManager): Promise<AgentEntity | null> {
    return (manager ?? this.dataSource.manager).findOneBy(AgentEntity, { workspaceId, name });
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
