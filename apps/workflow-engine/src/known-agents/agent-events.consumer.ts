import { MessageTypes, Topics, type AgentChangedEvent } from '@baton/contracts';
import { BatonKafka, MessageConsumer, type ConsumedMessage } from '@baton/kafka';
import { Readiness } from '@baton/service-kit';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { KnownAgentsRepository } from './known-agents.repository';

/** Keeps the known-agents projection current from baton.agent.events. */
@Injectable()
export class AgentEventsConsumer implements OnModuleInit, OnModuleDestroy {
  private readonly consumer: MessageConsumer;

  constructor(
    @Inject(BatonKafka) kafka: BatonKafka,
    @Inject(Readiness) private readonly readiness: Readiness,
    private readonly knownAgents: KnownAgentsRepository,
  ) {
    this.consumer = new MessageConsumer(kafka, {
      groupId: 'baton-workflow-engine-agent-events',
      topics: [Topics.agentEvents],
      dlqTopic: Topics.dlq('workflow-engine'),
      handleBatch: (messages) => this.apply(messages),
    });
  }

  async onModuleInit(): Promise<void> {
    this.readiness.registerConsumer('agent-events', this.consumer);
    await this.consumer.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer.stop();
  }

  private async apply(messages: ConsumedMessage[]): Promise<void> {
    const byWorkspace = new Map<string, string[]>();
    for (const { envelope } of messages) {
      if (envelope.type !== MessageTypes.agentRegistered) continue;
      const name = (envelope.data as AgentChangedEvent).agent?.name;
      if (typeof name !== 'string') continue;
      byWorkspace.set(envelope.workspaceid, [
        ...(byWorkspace.get(envelope.workspaceid) ?? []),
        name,
      ]);
    }
    for (const [workspaceId, names] of byWorkspace)
      await this.knownAgents.upsert(workspaceId, names);
  }
}
