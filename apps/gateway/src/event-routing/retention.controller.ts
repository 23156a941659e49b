import {
  CreateRetentionPolicyCommand,
  EventRoutingMessageTypes as Types,
  RetentionPolicyIdQuery,
  validateInto,
  type Page,
  type RetentionPolicyView,
} from '@baton/contracts';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentCaller, type Caller } from '../auth/caller';
import { dtoSchemaRef } from '../openapi/openapi';
import { EventCommands } from './event-commands';

@ApiTags('events')
@ApiBearerAuth()
@Controller('v1/retention-policies')
export class RetentionController {
  constructor(private readonly commands: EventCommands) {}

  /** Keeps events of a type (or pattern; `*` for the rest) for `max_age` after they arrive. */
  @Post()
  @ApiBody({ schema: dtoSchemaRef(CreateRetentionPolicyCommand) })
  create(
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RetentionPolicyView> {
    const command = validateInto(CreateRetentionPolicyCommand, body);
    return this.commands.create<RetentionPolicyView>(
      Types.retentionCreate,
      command,
      caller,
      response,
      { field: 'policy', location: (policy) => `/v1/retention-policies/${policy.id}` },
    );
  }

  @Get()
  list(@CurrentCaller() caller: Caller): Promise<Page<RetentionPolicyView>> {
    return this.commands.list(Types.retentionList, caller);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string, @CurrentCaller() caller: Caller): Promise<void> {
    await this.commands.at(Types.retentionDelete, RetentionPolicyIdQuery, { id }, caller);
  }
}
