import {
  CreateConnectionCommand,
  ListDeliveriesQuery,
  MessageTypes,
  Topics,
  validateInto,
  type ConnectionView,
  type DeliveryView,
  type Page,
} from '@baton/contracts';
import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentCaller, type Caller } from '../auth/caller';
import { dtoSchemaRef } from '../openapi/openapi';
import { PlatformClient } from '../platform/platform-client';

@ApiTags('integrations')
@ApiBearerAuth()
@Controller('v1')
export class ConnectionsController {
  constructor(private readonly platform: PlatformClient) {}

  /** Creates or replaces a connection; its secrets are encrypted at rest and never returned. */
  @Post('connections')
  @ApiBody({ schema: dtoSchemaRef(CreateConnectionCommand) })
  async create(
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ConnectionView> {
    const command = validateInto(CreateConnectionCommand, body);
    const result = await this.platform.send<{ created: boolean; connection: ConnectionView }>(
      Topics.integrationCommands,
      MessageTypes.connectionCreate,
      command,
      caller,
      command.name,
    );
    response.status(result.created ? 201 : 200).location(`/v1/connections/${command.name}`);
    return result.connection;
  }

  @Get('connections')
  list(@CurrentCaller() caller: Caller): Promise<Page<ConnectionView>> {
    return this.platform.send(Topics.integrationCommands, MessageTypes.connectionList, {}, caller);
  }

  /** What `action:` steps delivered through connectors (e.g. send-message), newest first. */
  @Get('deliveries')
  deliveries(
    @Query() query: Record<string, string>,
    @CurrentCaller() caller: Caller,
  ): Promise<Page<DeliveryView>> {
    const filter = validateInto(ListDeliveriesQuery, query, 'query');
    return this.platform.send(
      Topics.integrationCommands,
      MessageTypes.deliveryList,
      filter,
      caller,
    );
  }
}
