import {
  AgentNameQuery,
  ListAgentsQuery,
  MessageTypes,
  RegisterAgentCommand,
  Topics,
  validateInto,
  type AgentView,
} from '@baton/contracts';
import { Body, Controller, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentCaller, type Caller } from '../auth/caller';
import { dtoSchemaRef } from '../openapi/openapi';
import { ResourceRoutes } from '../platform/resource-routes';

@ApiTags('agents')
@ApiBearerAuth()
@Controller('v1/agents')
export class AgentsController extends ResourceRoutes({
  topic: Topics.agentCommands,
  key: { name: AgentNameQuery },
  list: MessageTypes.agentList,
  listQuery: ListAgentsQuery,
  get: MessageTypes.agentGet,
}) {
  @Post()
  @ApiBody({ schema: dtoSchemaRef(RegisterAgentCommand) })
  async register(
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AgentView> {
    const command = validateInto(RegisterAgentCommand, body);
    const result = await this.commands.send<{ created: boolean; agent: AgentView }>(
      MessageTypes.agentRegister,
      command,
      caller,
      command.name,
    );
    response.status(result.created ? 201 : 200).location(`/v1/agents/${result.agent.name}`);
    return result.agent;
  }
}
