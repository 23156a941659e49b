import { CallConnectionToolCommand, MessageTypes } from '@baton/contracts';
import type { CommandRegistry } from '@baton/kafka';
import { CommandHandlers } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { CallAgentToolUseCase } from './call-agent-tool.usecase';

/** What agent-manager asks on baton.integration.commands for `llm` agents' MCP tools. */
@Injectable()
export class AgentToolsHandlers extends CommandHandlers {
  constructor(private readonly callTool: CallAgentToolUseCase) {
    super();
  }

  /** A tool call waits on the MCP server up to the connection's timeout: beside the partition. */
  register(commands: CommandRegistry): void {
    commands.handleDetached(
      MessageTypes.connectionToolCall,
      CallConnectionToolCommand,
      (command, envelope) => this.callTool.execute(command, envelope),
    );
  }
}
