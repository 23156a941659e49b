import { Module } from '@nestjs/common';
import { ConnectionsModule } from '../connections/connections.module';
import { AgentToolsHandlers } from './agent-tools.handlers';
import { CallAgentToolUseCase } from './call-agent-tool.usecase';

/** MCP tools of connections, called for `llm` agents (ADR 0040). */
@Module({
  imports: [ConnectionsModule],
  providers: [CallAgentToolUseCase, AgentToolsHandlers],
})
export class AgentToolsModule {}
