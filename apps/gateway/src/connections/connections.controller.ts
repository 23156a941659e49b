import {
  ConnectionRef,
  CreateConnectionCommand,
  TestConnectionCommand,
  UpdateConnectionCommand,
  type ConnectionHealthView,
  type ConnectionTestView,
  type ConnectorView,
  type ConnectionOperationsView,
  ListDeliveriesQuery,
  MessageTypes,
  Topics,
  validateInto,
  type ConnectionView,
  type DeliveryView,
  type Page,
} from '@baton/contracts';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentCaller, type Caller } from '../auth/caller';
import { dtoSchemaRef } from '../openapi/openapi';
import { PlatformClient } from '../platform/platform-client';
import { TopicCommands } from '../platform/topic-commands';

@ApiTags('integrations')
@ApiBearerAuth()
@Controller('v1')
export class ConnectionsController {
  private readonly integration: TopicCommands;

  constructor(platform: PlatformClient) {
    this.integration = new TopicCommands(platform, Topics.integrationCommands);
  }

  /** Creates or replaces a connection; its secrets are encrypted at rest and never returned. */
  @Post('connections')
  @ApiBody({ schema: dtoSchemaRef(CreateConnectionCommand) })
  async create(
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ConnectionView> {
    const command = validateInto(CreateConnectionCommand, body);
    return this.integration.create<ConnectionView>(
      MessageTypes.connectionCreate,
      command,
      caller,
      response,
      { field: 'connection', location: () => `/v1/connections/${command.name}`, key: command.name },
    );
  }

  @Get('connections')
  list(@CurrentCaller() caller: Caller): Promise<Page<ConnectionView>> {
    return this.integration.list(MessageTypes.connectionList, caller);
  }

  /** The connectors this installation ships, with their config schemas, secrets and operations. */
  @Get('connectors')
  connectors(@CurrentCaller() caller: Caller): Promise<Page<ConnectorView>> {
    return this.integration.list(MessageTypes.connectorList, caller);
  }

  @Get('connections/:name')
  get(@Param('name') name: string, @CurrentCaller() caller: Caller): Promise<ConnectionView> {
    return this.integration.at(MessageTypes.connectionGet, ConnectionRef, { name }, caller);
  }

  /** A JSON merge patch of config and secrets (null removes a key); the result is checked whole. */
  @Patch('connections/:name')
  @ApiBody({ schema: dtoSchemaRef(UpdateConnectionCommand) })
  update(
    @Param('name') name: string,
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
  ): Promise<ConnectionView> {
    const command = this.integration.body(UpdateConnectionCommand, body, { name });
    return this.integration.send(MessageTypes.connectionUpdate, command, caller, command.name);
  }

  @Delete('connections/:name')
  @HttpCode(204)
  async remove(@Param('name') name: string, @CurrentCaller() caller: Caller): Promise<void> {
    await this.integration.at(MessageTypes.connectionDelete, ConnectionRef, { name }, caller);
  }

  /** A real probe of the target, or (with `operation` and `input`) one real call of an operation. */
  @Post('connections/:name/test')
  @HttpCode(200)
  @ApiBody({ schema: dtoSchemaRef(TestConnectionCommand), required: false })
  test(
    @Param('name') name: string,
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
  ): Promise<ConnectionTestView> {
    const command = this.integration.body(TestConnectionCommand, body, { name });
    return this.integration.send(MessageTypes.connectionTest, command, caller, command.name);
  }

  /** Breaker state, calls and errors by type, as seen by the integration-manager replica that answers. */
  @Get('connections/:name/health')
  health(
    @Param('name') name: string,
    @CurrentCaller() caller: Caller,
  ): Promise<ConnectionHealthView> {
    return this.integration.at(MessageTypes.connectionHealth, ConnectionRef, { name }, caller);
  }

  /** The operations a step can call on this connection (openapi: one per operationId), with their input schemas. */
  @Get('connections/:name/operations')
  operations(
    @Param('name') name: string,
    @CurrentCaller() caller: Caller,
  ): Promise<ConnectionOperationsView> {
    return this.integration.at(MessageTypes.connectionOperations, ConnectionRef, { name }, caller);
  }

  /** What `action:` steps delivered through connectors (e.g. send-message), newest first. */
  @Get('deliveries')
  deliveries(
    @Query() query: Record<string, string>,
    @CurrentCaller() caller: Caller,
  ): Promise<Page<DeliveryView>> {
    const filter = validateInto(ListDeliveriesQuery, query, 'query');
    return this.integration.send(MessageTypes.deliveryList, filter, caller);
  }
}
