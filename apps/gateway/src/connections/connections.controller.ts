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
import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, type Caller } from '../auth/caller';
import { dtoSchemaRef } from '../openapi/openapi';
import { ResourceRoutes } from '../resources/resource-routes';

@ApiTags('integrations')
@ApiBearerAuth()
@Controller('v1')
export class ConnectionsController extends ResourceRoutes({
  topic: Topics.integrationCommands,
  path: 'connections',
  key: { name: ConnectionRef },
  // Creates or replaces a connection; its secrets are encrypted at rest and never returned.
  create: {
    type: MessageTypes.connectionCreate,
    body: CreateConnectionCommand,
    field: 'connection',
    location: (_: ConnectionView, command) => `/v1/connections/${command.name}`,
    key: (command) => command.name,
  },
  list: MessageTypes.connectionList,
  get: MessageTypes.connectionGet,
  remove: MessageTypes.connectionDelete,
}) {
  /** The connectors this installation ships, with their config schemas, secrets and operations. */
  @Get('connectors')
  connectors(@CurrentCaller() caller: Caller): Promise<Page<ConnectorView>> {
    return this.commands.list(MessageTypes.connectorList, caller);
  }

  /** A JSON merge patch of config and secrets (null removes a key); the result is checked whole. */
  @Patch('connections/:name')
  @ApiBody({ schema: dtoSchemaRef(UpdateConnectionCommand) })
  update(
    @Param('name') name: string,
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
  ): Promise<ConnectionView> {
    const command = this.commands.body(UpdateConnectionCommand, body, { name });
    return this.commands.send(MessageTypes.connectionUpdate, command, caller, command.name);
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
    const command = this.commands.body(TestConnectionCommand, body, { name });
    return this.commands.send(MessageTypes.connectionTest, command, caller, command.name);
  }

  /** Breaker state, calls and errors by type, as seen by the integration-manager replica that answers. */
  @Get('connections/:name/health')
  health(
    @Param('name') name: string,
    @CurrentCaller() caller: Caller,
  ): Promise<ConnectionHealthView> {
    return this.commands.at(MessageTypes.connectionHealth, ConnectionRef, { name }, caller);
  }

  /** The operations a step can call on this connection (openapi: one per operationId), with their input schemas. */
  @Get('connections/:name/operations')
  operations(
    @Param('name') name: string,
    @CurrentCaller() caller: Caller,
  ): Promise<ConnectionOperationsView> {
    return this.commands.at(MessageTypes.connectionOperations, ConnectionRef, { name }, caller);
  }

  /** What `action:` steps delivered through connectors (e.g. send-message), newest first. */
  @Get('deliveries')
  deliveries(
    @Query() query: Record<string, string>,
    @CurrentCaller() caller: Caller,
  ): Promise<Page<DeliveryView>> {
    const filter = validateInto(ListDeliveriesQuery, query, 'query');
    return this.commands.send(MessageTypes.deliveryList, filter, caller);
  }
}
