import { Global, Module } from '@nestjs/common';
import { AgentCommandServer } from './agent-command-server';

@Global()
@Module({ providers: [AgentCommandServer], exports: [AgentCommandServer] })
export class CommandsModule {}
