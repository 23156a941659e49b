import { Module } from '@nestjs/common';
import { AgentEventsConsumer } from './agent-events.consumer';
import { KnownAgentsRepository } from './known-agents.repository';

@Module({
  providers: [KnownAgentsRepository, AgentEventsConsumer],
  exports: [KnownAgentsRepository],
})
export class KnownAgentsModule {}
