import {
  AgentNameQuery,
  AgentStatsQuery,
  AgentTaskMessageTypes,
  AgentVersionsQuery,
  PatchAgentCommand,
  Topics,
  validateInto,
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

/** Versions, decommissioning, live instances and stats of an agent. */
@ApiTags('agents')
@ApiBearerAuth()
@Controller('v1/agents')
export class AgentLifecycleController {
  constructor(private readonly platform: PlatformClient) {}

  /** The given fields replace the current ones; the answer is the new version. */
  @Patch(':name')
  @ApiBody({ schema: dtoSchemaRef(PatchAgentCommand) })
  patch(
    @Param('name') name: string,
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
  ): Promise<AgentView> {
    const fields =
      body !== null && typeof body === 'object' && !Array.isArray(body) ? body : { body };
    const command = validateInto(PatchAgentCommand, { ...fields, name });
    return this.platform.send(
      Topics.agentCommands,
      AgentTaskMessageTypes.patch,
      command,
      caller,
      name,
    );
  }

  /** Drains the agent: no new tasks, in-flight ones finish, then it is decommissioned. */
  @Delete(':name')
  @HttpCode(202)
  decommission(@Param('name') name: string, @CurrentCaller() caller: Caller): Promise<AgentView> {
    const command = validateInto(AgentNameQuery, { name }, 'path');
    return this.platform.send(
      Topics.agentCommands,
      AgentTaskMessageTypes.decommission,
      command,
      caller,
      name,
    );
  }

  @Get(':name/versions')
  versions(
    @Param('name') name: string,
    @Query() query: Record<string, string>,
    @CurrentCaller() caller: Caller,
  ): Promise<Page<AgentVersionView>> {
    const filter = validateInto(AgentVersionsQuery, { ...query, name }, 'query', {
      convertTypes: true,
    });
    return this.platform.send(
      Topics.agentCommands,
      AgentTaskMessageTypes.versions,
      filter,
      caller,
      name,
    );
  }

  @Get(':name/instances')
  instances(
    @Param('name') name: string,
    @CurrentCaller() caller: Caller,
  ): Promise<{ items: AgentInstanceView[] }> {
    const query = validateInto(AgentNameQuery, { name }, 'path');
    return this.platform.send(
      Topics.agentCommands,
      AgentTaskMessageTypes.instances,
      query,
      caller,
      name,
    );
  }

  @Get(':name/stats')
  stats(
    @Param('name') name: string,
    @Query() query: Record<string, string>,
    @CurrentCaller() caller: Caller,
  ): Promise<AgentStatsView> {
    const filter = validateInto(AgentStatsQuery, { ...query, name }, 'query', {
      convertTypes: true,
    });
    return this.platform.send(
      Topics.agentCommands,
      AgentTaskMessageTypes.stats,
      filter,
      caller,
      name,
    );
  }
}
