import {
  AgentTaskMessageTypes,
  DomainError,
  Topics,
  type AgentView,
  type Envelope,
  type PatchAgentCommand,
} from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import { BatonKafka } from '@baton/kafka';
import { Inject, Injectable } from '@nestjs/common';
import { isDeepStrictEqual } from 'node:util';
import { AgentChanges } from '../agent-model/agent-changes';
import { specColumns, specOf, type AgentSpec } from '../agent-model/agent-snapshot';
import { AgentSpecValidator } from './agent-spec.validator';
import { toAgentView } from './agent.view';
import { saveAgentVersion } from './agent-versions';
import { AgentsRepository } from '../agent-model/agents.repository';
import { taskTopicPartitions } from './register-agent.usecase';

/**
 * `PATCH /v1/agents/{name}`: the given fields replace the current ones (null
 * clears a schema or the description) and the result is the next version.
 * Tasks already created keep running against the version they were made for.
 */
@Injectable()
export class PatchAgentUseCase {
  constructor(
    private readonly agents: AgentsRepository,
    private readonly uow: UnitOfWork,
    private readonly validator: AgentSpecValidator,
    private readonly changes: AgentChanges,
    @Inject(BatonKafka) private readonly kafka: BatonKafka,
  ) {}

  /** More instances need more partitions of the task topic (task keys are ids, so none is reordered). */
  private async growTaskTopic(
    workspaceId: string,
    name: string,
    maxInstances: number,
  ): Promise<void> {
    const topic = Topics.agentTasks(workspaceId, name);
    const wanted = taskTopicPartitions(maxInstances);
    const admin = this.kafka.kafka.admin();
    await admin.connect();
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      const current = metadata.topics[0]?.partitions.length ?? 0;
      if (current < wanted) {
        await admin.createPartitions({ topicPartitions: [{ topic, count: wanted }] });
      }
    } finally {
      await admin.disconnect();
    }
  }

  async execute(command: PatchAgentCommand, request: Envelope): Promise<AgentView> {
    const workspaceId = request.workspaceid;
    const view = await this.uow.run(async (tx) => {
      const agent = await this.agents.findForUpdate(tx.manager, workspaceId, command.name);
      if (!agent || agent.status === 'decommissioned')
        throw DomainError.notFound('agent', command.name);
      if (agent.status !== 'active') {
        throw new DomainError('AGENT.DECOMMISSIONED', `agent '${command.name}' is ${agent.status}`);
      }
      const current = specOf(agent);
      const next: AgentSpec = {
        ...current,
        ...pick(command, [
          'type',
          'runtime',
          'capabilities',
          'min_instances',
          'max_instances',
          'config',
        ]),
        ...nullable(command, ['description', 'input_schema', 'output_schema']),
      };
      await this.validator.check(next, workspaceId);
      if (next.max_instances > current.max_instances) {
        await this.growTaskTopic(workspaceId, agent.name, next.max_instances);
      }
      if (isDeepStrictEqual(current, next)) return toAgentView(agent);
      Object.assign(agent, specColumns(next), {
        version: agent.version + 1,
        updatedAt: new Date(),
      });
      return saveAgentVersion(
        tx,
        this.agents,
        agent,
        next,
        { action: 'agent.update', type: AgentTaskMessageTypes.changed },
        request,
      );
    });
    this.changes.emit();
    return view;
  }
}

function pick<K extends keyof AgentSpec & keyof PatchAgentCommand>(
  command: PatchAgentCommand,
  keys: K[],
): Partial<AgentSpec> {
  const out: Partial<Record<K, unknown>> = {};
  for (const key of keys)
    if (command[key] !== undefined && command[key] !== null) out[key] = command[key];
  return out as Partial<AgentSpec>;
}

function nullable<K extends keyof AgentSpec & keyof PatchAgentCommand>(
  command: PatchAgentCommand,
  keys: K[],
): Partial<AgentSpec> {
  const out: Partial<Record<K, unknown>> = {};
  for (const key of keys) if (command[key] !== undefined) out[key] = command[key];
  return out as Partial<AgentSpec>;
}
