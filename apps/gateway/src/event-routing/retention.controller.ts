import {
  CreateRetentionPolicyCommand,
  EventRoutingMessageTypes as Types,
  RetentionPolicyIdQuery,
  Topics,
  validateInto,
  type RetentionPolicyView,
} from '@baton/contracts';
import { Body, Controller, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentCaller, type Caller } from '../auth/caller';
import { dtoSchemaRef } from '../openapi/openapi';
import { ResourceRoutes } from '../platform/resource-routes';

@ApiTags('events')
@ApiBearerAuth()
@Controller('v1/retention-policies')
export class RetentionController extends ResourceRoutes({
  topic: Topics.eventCommands,
  key: 'id',
  keyQuery: RetentionPolicyIdQuery,
  list: { type: Types.retentionList },
  remove: Types.retentionDelete,
}) {
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
}
