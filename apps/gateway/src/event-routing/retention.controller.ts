import {
  CreateRetentionPolicyCommand,
  EventRoutingMessageTypes as Types,
  RetentionPolicyIdQuery,
  Topics,
  validateInto,
  type Page,
  type RetentionPolicyView,
} from '@baton/contracts';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentCaller, type Caller } from '../auth/caller';
import { dtoSchemaRef } from '../openapi/openapi';
import { PlatformClient } from '../platform/platform-client';

@ApiTags('events')
@ApiBearerAuth()
@Controller('v1/retention-policies')
export class RetentionController {
  constructor(private readonly platform: PlatformClient) {}

  /** Keeps events of a type (or pattern; `*` for the rest) for `max_age` after they arrive. */
  @Post()
  @ApiBody({ schema: dtoSchemaRef(CreateRetentionPolicyCommand) })
  async create(
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RetentionPolicyView> {
    const command = validateInto(CreateRetentionPolicyCommand, body);
    const result = await this.platform.send<{ created: boolean; policy: RetentionPolicyView }>(
      Topics.eventCommands,
      Types.retentionCreate,
      command,
      caller,
    );
    response
      .status(result.created ? 201 : 200)
      .location(`/v1/retention-policies/${result.policy.id}`);
    return result.policy;
  }

  @Get()
  list(@CurrentCaller() caller: Caller): Promise<Page<RetentionPolicyView>> {
    return this.platform.send(Topics.eventCommands, Types.retentionList, {}, caller);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string, @CurrentCaller() caller: Caller): Promise<void> {
    const query = validateInto(RetentionPolicyIdQuery, { id }, 'path');
    await this.platform.send(Topics.eventCommands, Types.retentionDelete, query, caller, id);
  }
}
