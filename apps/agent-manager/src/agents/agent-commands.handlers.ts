import {
  AgentNameQuery,
  AgentTaskMessageTypes,
  AgentVersionsQuery,
  decodeCursor,
  toPage,
  DomainError,
  ListAgentsQuery,
  MessageTypes,
  PatchAgentCommand,
  RegisterAgentCommand,
  type Page,
  type AgentView,
  type AgentVersionView,
} from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import type { CommandRegistry } from '@baton/kafka';
import { CommandHandlers } from '@baton/service-kit';
import { DeploymentStatuses } from '../provisioning/kubernetes/deployment-statuses.repository';
import { toAgentView } from './agent.view';
import { AgentsRepository } from '../agent-model/agents.repository';
import { DecommissionAgentUseCase } from './decommission-agent.usecase';
import { PatchAgentUseCase } from './patch-agent.usecase';
import { RegisterAgentUseCase } from './register-agent.usecase';

/** The Kafka transport of the agent registry: commands and queries from the gateway. */
@Injectable()
export class AgentCommandsHandlers extends CommandHandlers {
  constructor(
    private readonly registerAgent: RegisterAgentUseCase,
    private readonly patch: PatchAgentUseCase,
    private readonly decommission: DecommissionAgentUseCase,
    private readonly agents: AgentsRepository,
    private readonly deployments: DeploymentStatuses,
  ) {
    super();
  }

  register(server: CommandRegistry): void {
    server
      .handle(MessageTypes.agentRegister, RegisterAgentCommand, (command, envelope) =>
        this.registerAgent.execute(command, envelope),
      )
      .handle(AgentTaskMessageTypes.patch, PatchAgentCommand, (command, envelope) =>
        this.patch.execute(command, envelope),
      )
      .handle(AgentTaskMessageTypes.decommission, AgentNameQuery, (command, envelope) =>
        this.decommission.execute(command.name, envelope),
      )
      .handle(MessageTypes.agentGet, AgentNameQuery, async (query, envelope) => {
        const agent = await this.agents.find(envelope.workspaceid, query.name);
        if (!agent) throw DomainError.notFound('agent', query.name);
        const provisioning = await this.deployments.view(envelope.workspaceid, agent.name);
        return provisioning ? { ...toAgentView(agent), provisioning } : toAgentView(agent);
      })
      .handle(AgentTaskMessageTypes.versions, AgentVersionsQuery, async (query, envelope) => {
        const agent = await this.agents.find(envelope.workspaceid, query.name);
        if (!agent) throw DomainError.notFound('agent', query.name);
        const limit = query.limit ?? 50;
        const before = decodeCursor(query.cursor);
        const rows = await this.agents.versions(envelope.workspaceid, query.name, {
          before: before === undefined ? undefined : Number(before),
          limit: limit + 1,
        });
        return toPage(
          rows,
          limit,
          (row): AgentVersionView => ({
            version: row.version,
            spec: row.spec,
            created_at: row.createdAt.toISOString(),
          }),
          (row) => String(row.version),
        );
      })
      .handle(
        MessageTypes.agentList,
        ListAgentsQuery,
        async (query, envelope): Promise<Page<AgentView>> => {
          const limit = query.limit ?? 50;
          const rows = await this.agents.list(envelope.workspaceid, {
            capability: query.capability,
            type: query.type,
            after: decodeCursor(query.cursor),
            limit: limit + 1,
          });
          return toPage(rows, limit, toAgentView, (agent) => agent.name);
        },
      );
  }
}
