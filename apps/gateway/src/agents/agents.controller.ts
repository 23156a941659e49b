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
import { ResourceRoutes } from '../resources/resource-routes';

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
  /**
   * Written out, not the spec's `create`: its OpenAPI operation (and so the
   * SDK's) is `AgentsController_register`.
   */
  @Post()
  @ApiBody({ schema: dtoSchemaRef(RegisterAgentCommand) })
  register(
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AgentView> {
    const command = validateInto(RegisterAgentCommand, body);
    return this.commands.create<AgentView>(MessageTypes.agentRegister, command, caller, response, {
      field: 'agent',
      location: (agent) => `/v1/agents/${agent.name}`,
      key: command.name,
    });
  }
}
