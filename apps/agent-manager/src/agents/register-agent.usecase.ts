import {
  DomainError,
  MessageTypes,
  Topics,
  type AgentView,
  type Envelope,
  type RegisterAgentCommand,
} from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import { BatonKafka } from '@baton/kafka';
import { Inject, Injectable } from '@nestjs/common';
import { isDeepStrictEqual } from 'node:util';
import { AgentEntity } from '../agent-model/agent.entity';
import { AgentChanges } from '../agent-model/agent-changes';
import { specColumns, specOf, type AgentSpec } from '../agent-model/agent-snapshot';
import { AgentSpecValidator } from './agent-spec.validator';
import { toAgentView } from './agent.view';
import { saveAgentVersion } from './agent-versions';
import { AgentsRepository } from '../agent-model/agents.repository';

const RUNTIME_BY_TYPE: Record<string, string> = { llm: 'llm', rules: 'rules' };

/** Enough partitions that every instance up to max_instances gets work, within reason. */
export function taskTopicPartitions(maxInstances: number): number {
  return Math.min(Math.max(maxInstances, 1), 32);
}

@Injectable()
export class RegisterAgentUseCase {
  constructor(
    private readonly agents: AgentsRepository,
    private readonly uow: UnitOfWork,
    @Inject(BatonKafka) private readonly kafka: BatonKafka,
    private readonly validator: AgentSpecValidator,
    private readonly changes: AgentChanges,
  ) {}

  /**
   * Registering the same agent again with the same spec answers the existing
   * agent (safe to retry); a different spec under a taken name is a conflict
   * (PATCH changes an agent). A decommissioned name may be registered anew:
   * that is the agent's next version, and its history stays.
   */
  async execute(
    command: RegisterAgentCommand,
    request: Envelope,
  ): Promise<{ created: boolean; agent: AgentView }> {
    const workspaceId = request.workspaceid;
    const spec = normalise(command);
    await this.validator.check(spec, workspaceId);
    const existing = await this.agents.find(workspaceId, command.name);
    if (existing && existing.status !== 'decommissioned') {
      if (isDeepStrictEqual(specOf(existing), spec))
        return { created: false, agent: toAgentView(existing) };
      throw new DomainError(
        'AGENT.EXISTS',
        `agent '${command.name}' already exists with a different definition (PATCH /v1/agents/${command.name} changes it)`,
        [{ field: 'name', message: 'already registered' }],
      );
    }
    // The task topic exists before anyone can be told about the agent.
    await this.kafka.ensureTopics([
      {
        topic: Topics.agentTasks(workspaceId, command.name),
        partitions: taskTopicPartitions(spec.max_instances),
      },
    ]);
    const now = new Date();
    const agent = Object.assign(new AgentEntity(), {
      workspaceId,
      ...specColumns(spec),
      version: (existing?.version ?? 0) + 1,
      status: 'active',
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
      decommissionDeadline: null,
    } satisfies AgentEntity);
    try {
      await this.uow.run((tx) =>
        saveAgentVersion(
          tx,
          this.agents,
          agent,
          spec,
          { action: 'agent.register', type: MessageTypes.agentRegistered },
          request,
        ),
      );
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw new DomainError(
          'AGENT.CHANGED_CONCURRENTLY',
          `agent '${command.name}' was registered concurrently`,
        );
      }
      throw error;
    }
    this.changes.emit();
    return { created: true, agent: toAgentView(agent) };
  }
}

function normalise(command: RegisterAgentCommand): AgentSpec {
  return {
    name: command.name,
    type: command.type,
    runtime: command.runtime ?? RUNTIME_BY_TYPE[command.type] ?? 'worker',
    description: command.description ?? null,
    capabilities: command.capabilities ?? [],
    min_instances: command.min_instances ?? 0,
    max_instances: command.max_instances ?? 1,
    config: command.config ?? {},
    input_schema: command.input_schema ?? null,
    output_schema: command.output_schema ?? null,
  };
}
