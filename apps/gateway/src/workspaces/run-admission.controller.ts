import {
  MessageTypes,
  RunAdmissionBody,
  RunAdmissionMessageTypes,
  RunAdmissionQuery,
  Topics,
  validateInto,
  type RunAdmissionView,
} from '@baton/contracts';
import { Body, Controller, Delete, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, type Caller } from '../auth/caller';
import { dtoSchemaRef } from '../openapi/openapi';
import { PlatformClient } from '../platform/platform-client';
import { TopicCommands } from '../platform/topic-commands';

/**
 * A workspace's own run admission limit (ADR 0041), for platform admins: how
 * many of its runs may be `running` at once in place of the engine's
 * RUN_ADMISSION_ACTIVE_RUNS_PER_WORKSPACE (0: no limit). Stored and enforced
 * by workflow-engine; the workspace must exist (asked of security-manager).
 */
@ApiTags('security')
@ApiBearerAuth()
@Controller('v1/workspaces/:id/run-admission')
export class RunAdmissionController {
  private readonly engine: TopicCommands;
  private readonly security: TopicCommands;

  constructor(platform: PlatformClient) {
    this.engine = new TopicCommands(platform, Topics.workflowCommands);
    this.security = new TopicCommands(platform, Topics.securityCommands);
  }

  @Get()
  async get(@Param('id') id: string, @CurrentCaller() caller: Caller): Promise<RunAdmissionView> {
    const query = await this.existing(id, caller);
    return this.engine.send(RunAdmissionMessageTypes.get, query, caller, query.workspace_id);
  }

  /** Sets the workspace's limit: `{ active_runs }`, 0 for no limit. */
  @Put()
  @ApiBody({ schema: dtoSchemaRef(RunAdmissionBody) })
  async set(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
  ): Promise<RunAdmissionView> {
    const limit = validateInto(RunAdmissionBody, body ?? {});
    const query = await this.existing(id, caller);
    return this.engine.send(
      RunAdmissionMessageTypes.set,
      { ...query, active_runs: limit.active_runs },
      caller,
      query.workspace_id,
    );
  }

  /** Back to the engine's default. */
  @Delete()
  async reset(@Param('id') id: string, @CurrentCaller() caller: Caller): Promise<RunAdmissionView> {
    const query = await this.existing(id, caller);
    return this.engine.send(RunAdmissionMessageTypes.reset, query, caller, query.workspace_id);
  }

  /** The checked id of a workspace that exists: an unknown one is security-manager's 404. */
  private async existing(id: string, caller: Caller): Promise<RunAdmissionQuery> {
    const query = validateInto(RunAdmissionQuery, { workspace_id: id }, 'path');
    await this.security.send(MessageTypes.workspaceGet, { id: query.workspace_id }, caller, id);
    return query;
  }
}
