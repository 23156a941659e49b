import { Topics } from '@baton/contracts';
import type { TopicSpec } from '@baton/kafka';
import { TopicReconciler } from '@baton/service-kit';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Not, type DataSource } from 'typeorm';
import { AgentEntity } from '../agent-model/agent.entity';
import { taskTopicPartitions } from './register-agent.usecase';

/**
 * agent-manager owns every agent's task topic: registering an agent creates
 * it, and this tells the TopicReconciler to create it again whenever the
 * cluster lacks it (deleted by hand, a broker whose data was wiped), for every
 * agent that is not decommissioned.
 */
@Injectable()
export class AgentTaskTopics implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(TopicReconciler) private readonly reconciler: TopicReconciler,
  ) {}

  onModuleInit(): void {
    this.reconciler.addSource('agent task topics', () => this.desired());
  }

  async desired(): Promise<TopicSpec[]> {
    const agents = await this.dataSource.manager.find(AgentEntity, {
      select: { workspaceId: true, name: true, maxInstances: true },
      where: { status: Not('decommissioned') },
    });
    return agents.map((agent) => ({
      topic: Topics.agentTasks(agent.workspaceId, agent.name),
      partitions: taskTopicPartitions(agent.maxInstances),
    }));
  }
}
