import { Module } from '@nestjs/common';
import { AgentsConsumer } from './agents.consumer';
import { AgentsRepository } from './agents.repository';
import { RegisterAgentUseCase } from './register-agent.usecase';

@Module({ providers: [AgentsRepository, RegisterAgentUseCase, AgentsConsumer] })
export class AgentsModule {}
