import {
  AgentNameQuery,
  decodeCursor,
  toPage,
  DomainError,
  ListAgentsQuery,
  MessageTypes,
  RegisterAgentCommand,
  Topics,
  type Page,
  type AgentView,
} from '@baton/contracts';
import { BatonKafka, CommandServer } from '@baton/kafka';
import { Readiness } from '@baton/service-kit';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { toAgentView } from './agent.view';
import { AgentsRepository } from './agents.repository';
import { RegisterAgentUseCase } from './register-agent.usecase';

/** The Kafka transport of the agent registry: commands and queries from the gateway. */
@Injectable()
export class AgentsConsumer implements OnModuleInit, OnModuleDestroy {
  private readonly server: CommandServer;

  constructor(
    @Inject(BatonKafka) kafka: BatonKafka,
    @Inject(LOGGER) logger: Logger,
    @Inject(Readiness) private readonly readiness: Readiness,
    private readonly register: RegisterAgentUseCase,
    private readonly agents: AgentsRepository,
  ) {
    this.server = new CommandServer(kafka, {
      service: 'agent-manager',
      groupId: 'baton-agent-manager-commands',
      topic: Topics.agentCommands,
      dlqTopic: Topics.dlq('agent-manager'),
      log: (level, message, extra) => logger[level](extra, message),
    })
      .handle(MessageTypes.agentRegister, RegisterAgentCommand, (command, envelope) =>
        this.register.execute(command, envelope),
      )
      .handle(MessageTypes.agentGet, AgentNameQuery, async (query, envelope) => {
        const agent = await this.agents.find(envelope.workspaceid, query.name);
        if (!agent) throw DomainError.notFound('agent', query.name);
        return toAgentView(agent);
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

  async onModuleInit(): Promise<void> {
    this.readiness.register('agent-commands', () => this.server.isJoined);
    await this.server.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.server.stop();
  }
}
