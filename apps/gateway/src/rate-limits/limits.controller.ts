import {
  effectiveLimits,
  MessageTypes,
  Topics,
  validateInto,
  WorkspaceLimitsBody,
  WorkspaceLimitsQuery,
  type EffectiveLimits,
  type StoredWorkspaceLimits,
} from '@baton/contracts';
import { Body, Controller, Delete, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, type Caller } from '../auth/caller';
import { dtoSchemaRef } from '../openapi/openapi';
import { PlatformClient } from '../platform/platform-client';
import { NoRateLimit } from './no-rate-limit.decorator';
import { rateKeyOf } from './rate-limit.interceptor';
import type { Usage } from './usage-ledger';
import { UsageBroadcast } from './usage-broadcast';
import { WorkspaceLimitsCache } from './workspace-limits.cache';

/** A workspace's stored limits (null: the default applies) and the limits in force. */
export type WorkspaceLimitsView = StoredWorkspaceLimits & { effective: EffectiveLimits };

@ApiTags('security')
@ApiBearerAuth()
@Controller('v1')
export class LimitsController {
  constructor(
    private readonly platform: PlatformClient,
    private readonly limits: WorkspaceLimitsCache,
    private readonly usage: UsageBroadcast,
  ) {}

  /**
   * The caller's workspace's limits in force, and its use of them in the
   * current window as this gateway replica knows it (other replicas' counts
   * arrive within one broadcast interval). Answered from memory; not counted.
   */
  @Get('limits')
  @NoRateLimit()
  async own(
    @CurrentCaller() caller: Caller,
  ): Promise<{ workspace_id: string; effective: EffectiveLimits; usage: Usage }> {
    const effective = await this.limits.get(caller.workspaceId, caller.correlationId);
    return {
      workspace_id: caller.workspaceId,
      effective,
      usage: this.usage.ledger.usage(caller.workspaceId, rateKeyOf(caller), effective, Date.now()),
    };
  }

  /** Any workspace's limits (platform admins). */
  @Get('workspaces/:id/limits')
  async get(
    @Param('id') id: string,
    @CurrentCaller() caller: Caller,
  ): Promise<WorkspaceLimitsView> {
    const query = validateInto(WorkspaceLimitsQuery, { workspace_id: id }, 'path');
    const stored = await this.platform.send<StoredWorkspaceLimits>(
      Topics.securityCommands,
      MessageTypes.limitsGet,
      query,
      caller,
      query.workspace_id,
    );
    return { ...stored, effective: effectiveLimits(stored, this.limits.defaults) };
  }

  /**
   * Sets a workspace's limits; a field left out or null takes the default.
   * In force on this replica at once, on the others with their next broadcast.
   */
  @Put('workspaces/:id/limits')
  @NoRateLimit()
  @ApiBody({ schema: dtoSchemaRef(WorkspaceLimitsBody) })
  async set(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
  ): Promise<WorkspaceLimitsView> {
    const { workspace_id } = validateInto(WorkspaceLimitsQuery, { workspace_id: id }, 'path');
    const limits = validateInto(WorkspaceLimitsBody, body);
    return this.store(MessageTypes.limitsSet, { ...limits, workspace_id }, caller);
  }

  /** Back to the defaults. */
  @Delete('workspaces/:id/limits')
  @NoRateLimit()
  async reset(
    @Param('id') id: string,
    @CurrentCaller() caller: Caller,
  ): Promise<WorkspaceLimitsView> {
    const query = validateInto(WorkspaceLimitsQuery, { workspace_id: id }, 'path');
    return this.store(MessageTypes.limitsReset, query, caller);
  }

  private async store(type: string, command: { workspace_id: string }, caller: Caller) {
    const stored = await this.platform.send<StoredWorkspaceLimits>(
      Topics.securityCommands,
      type,
      command,
      caller,
      command.workspace_id,
    );
    const effective = this.limits.set(stored);
    this.usage.ledger.limitsChangedHere(stored.workspace_id);
    return { ...stored, effective };
  }
}
