import { MessageTypes, Topics, type AgentChangedEvent } from '@baton/contracts';
import { type ConsumedMessage } from '@baton/kafka';
import { ConsumerContext, TopicConsumer } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { KnownAgentsRepository } from './known-agents.repository';

/** Keeps the known-agents projection current from baton.agent.events. */
@Injectable()
export class AgentEventsConsumer extends TopicConsumer {
  constructor(
    context: ConsumerContext,
    private readonly knownAgents: KnownAgentsRepository,
  ) {
    super(context, 'agent-events', {
      topics: [Topics.agentEvents],
      handleBatch: (messages) => this.apply(messages),
    });
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
