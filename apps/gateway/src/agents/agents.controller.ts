import {
  AgentNameQuery,
  ListAgentsQuery,
  MessageTypes,
  RegisterAgentCommand,
  Topics,
  validateInto,
  type AgentView,
  type Page,
} from '@baton/contracts';
import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentCaller, type Caller } from '../auth/caller';
import { dtoSchemaRef } from '../openapi/openapi';
import { PlatformClient } from '../platform/platform-client';

@ApiTags('agents')
@ApiBearerAuth()
@Controller('v1/agents')
export class AgentsController {
  constructor(private readonly platform: PlatformClient) {}

  @Post()
  @ApiBody({ schema: dtoSchemaRef(RegisterAgentCommand) })
  async register(
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AgentView> {
    const command = validateInto(RegisterAgentCommand, body);
    const result = await this.platform.send<{ created: boolean; agent: AgentView }>(
      Topics.agentCommands,
      MessageTypes.agentRegister,
      command,
      caller,
      command.name,
    );
    response.status(result.created ? 201 : 200).location(`/v1/agents/${result.agent.name}`);
    return result.agent;
  }

  @Get()
  list(
    @Query() query: Record<string, string>,
    @CurrentCaller() caller: Caller,
  ): Promise<Page<AgentView>> {
    const filter = validateInto(ListAgentsQuery, query, 'query', { convertTypes: true });
    return this.platform.send(Topics.agentCommands, MessageTypes.agentList, filter, caller);
  }

  @Get(':name')
  get(@Param('name') name: string, @CurrentCaller() caller: Caller): Promise<AgentView> {
    const query = validateInto(AgentNameQuery, { name }, 'path');
    return this.platform.send(Topics.agentCommands, MessageTypes.agentGet, query, caller, name);
  }
}
