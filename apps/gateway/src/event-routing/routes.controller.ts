import {
  CreateRouteCommand,
  EventRoutingMessageTypes as Types,
  RouteNameQuery,
  Topics,
  validateInto,
  type RouteView,
} from '@baton/contracts';
import { Body, Controller, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentCaller, type Caller } from '../auth/caller';
import { dtoSchemaRef } from '../openapi/openapi';
import { PlatformClient } from '../platform/platform-client';
import { ResourceRoutes } from '../resources/resource-routes';
import { WorkflowReferences } from './workflow-references';

@ApiTags('events')
@ApiBearerAuth()
@Controller('v1/routes')
export class RoutesController extends ResourceRoutes({
  topic: Topics.eventCommands,
  key: { name: RouteNameQuery },
  // Every route of the workspace, in evaluation order.
  list: Types.routeList,
  get: Types.routeGet,
  remove: Types.routeDelete,
}) {
  constructor(
    platform: PlatformClient,
    private readonly workflows: WorkflowReferences,
  ) {
    super(platform);
  }

  /** Creates or replaces a routing rule; rules run in `position` order, `on_match: stop` ends the walk. */
  @Post()
  @ApiBody({ schema: dtoSchemaRef(CreateRouteCommand) })
  async create(
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RouteView> {
    const command = validateInto(CreateRouteCommand, body);
    await this.workflows.requireExisting(
      caller,
      command.destinations.map((destination, i) => ({ destination, field: `destinations[${i}].` })),
    );
    return this.commands.create<RouteView>(Types.routeCreate, command, caller, response, {
      field: 'route',
      key: command.name,
      location: () => `/v1/routes/${command.name}`,
    });
  }
}
