import { Module } from '@nestjs/common';
import { AgentInstancesRepository } from './agent-instances.repository';
import { HeartbeatsConsumer } from './heartbeats.consumer';

@Module({
  providers: [AgentInstancesRepository, HeartbeatsConsumer],
  exports: [AgentInstancesRepository],
})
export class InstancesModule {}
