import {
  AgentNameQuery,
  AgentStatsQuery,
  AgentTaskMessageTypes,
  AgentVersionsQuery,
  PatchAgentCommand,
  Topics,
  type AgentInstanceView,
  type AgentStatsView,
  type AgentVersionView,
  type AgentView,
  type Page,
} from '@baton/contracts';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, type Caller } from '../auth/caller';
import { dtoSchemaRef } from '../openapi/openapi';
import { PlatformClient } from '../platform/platform-client';
import { TopicCommands } from '../platform/topic-commands';

/** Versions, decommissioning, live instances and stats of an agent. */
@ApiTags('agents')
@ApiBearerAuth()
@Controller('v1/agents')
export class AgentLifecycleController {
  private readonly commands: TopicCommands;

  constructor(platform: PlatformClient) {
    this.commands = new TopicCommands(platform, Topics.agentCommands);
  }

  /** The given fields replace the current ones; the answer is the new version. */
  @Patch(':name')
  @ApiBody({ schema: dtoSchemaRef(PatchAgentCommand) })
  patch(
    @Param('name') name: string,
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
  ): Promise<AgentView> {
    const command = this.commands.fields(PatchAgentCommand, body, { name });
    return this.commands.send(AgentTaskMessageTypes.patch, command, caller, name);
  }

  /** Drains the agent: no new tasks, in-flight ones finish, then it is decommissioned. */
  @Delete(':name')
  @HttpCode(202)
  decommission(@Param('name') name: string, @CurrentCaller() caller: Caller): Promise<AgentView> {
    return this.commands.at(AgentTaskMessageTypes.decommission, AgentNameQuery, { name }, caller);
  }

  @Get(':name/versions')
  versions(
    @Param('name') name: string,
    @Query() query: Record<string, string>,
    @CurrentCaller() caller: Caller,
  ): Promise<Page<AgentVersionView>> {
    const type = AgentTaskMessageTypes.versions;
    return this.commands.about(type, AgentVersionsQuery, query, { name }, caller);
  }

  @Get(':name/instances')
  instances(
    @Param('name') name: string,
    @CurrentCaller() caller: Caller,
  ): Promise<{ items: AgentInstanceView[] }> {
    return this.commands.at(AgentTaskMessageTypes.instances, AgentNameQuery, { name }, caller);
  }

  @Get(':name/stats')
  stats(
    @Param('name') name: string,
    @Query() query: Record<string, string>,
    @CurrentCaller() caller: Caller,
  ): Promise<AgentStatsView> {
    return this.commands.about(
      AgentTaskMessageTypes.stats,
      AgentStatsQuery,
      query,
      { name },
      caller,
    );
  }
}
