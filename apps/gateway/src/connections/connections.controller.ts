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

  /** The connectors this installation ships, with their config schemas, secrets and operations. */
  @Get('connectors')
  connectors(@CurrentCaller() caller: Caller): Promise<Page<ConnectorView>> {
    return this.platform.send(Topics.integrationCommands, MessageTypes.connectorList, {}, caller);
  }

  @Get('connections/:name')
  get(@Param('name') name: string, @CurrentCaller() caller: Caller): Promise<ConnectionView> {
    const ref = validateInto(ConnectionRef, { name }, 'path');
    return this.platform.send(
      Topics.integrationCommands,
      MessageTypes.connectionGet,
      ref,
      caller,
      ref.name,
    );
  }

  /** A JSON merge patch of config and secrets (null removes a key); the result is checked whole. */
  @Patch('connections/:name')
  @ApiBody({ schema: dtoSchemaRef(UpdateConnectionCommand) })
  update(
    @Param('name') name: string,
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
  ): Promise<ConnectionView> {
    const command = validateInto(UpdateConnectionCommand, { ...asObject(body), name });
    return this.platform.send(
      Topics.integrationCommands,
      MessageTypes.connectionUpdate,
      command,
      caller,
      command.name,
    );
  }

  @Delete('connections/:name')
  @HttpCode(204)
  async remove(@Param('name') name: string, @CurrentCaller() caller: Caller): Promise<void> {
    const ref = validateInto(ConnectionRef, { name }, 'path');
    await this.platform.send(
      Topics.integrationCommands,
      MessageTypes.connectionDelete,
      ref,
      caller,
      ref.name,
    );
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
    const command = validateInto(TestConnectionCommand, { ...asObject(body), name });
    return this.platform.send(
      Topics.integrationCommands,
      MessageTypes.connectionTest,
      command,
      caller,
      command.name,
    );
  }

  /** Breaker state, calls and errors by type, as seen by the integration-manager replica that answers. */
  @Get('connections/:name/health')
  health(
    @Param('name') name: string,
    @CurrentCaller() caller: Caller,
  ): Promise<ConnectionHealthView> {
    const ref = validateInto(ConnectionRef, { name }, 'path');
    return this.platform.send(
      Topics.integrationCommands,
      MessageTypes.connectionHealth,
      ref,
      caller,
      ref.name,
    );
  }

  /** The operations a step can call on this connection (openapi: one per operationId), with their input schemas. */
  @Get('connections/:name/operations')
  operations(
    @Param('name') name: string,
    @CurrentCaller() caller: Caller,
  ): Promise<ConnectionOperationsView> {
    const ref = validateInto(ConnectionRef, { name }, 'path');
    return this.platform.send(
      Topics.integrationCommands,
      MessageTypes.connectionOperations,
      ref,
      caller,
      ref.name,
    );
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

/** A body that is not a JSON object counts as empty (the path names the connection). */
function asObject(body: unknown): Record<string, unknown> {
  return body !== null && typeof body === 'object' && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};
}
