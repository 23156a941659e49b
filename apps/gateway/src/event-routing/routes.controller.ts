import {
  CreateRouteCommand,
  EventRoutingMessageTypes as Types,
  RouteNameQuery,
  validateInto,
  type Page,
  type RouteView,
} from '@baton/contracts';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentCaller, type Caller } from '../auth/caller';
import { dtoSchemaRef } from '../openapi/openapi';
import { EventCommands } from './event-commands';
import { WorkflowReferences } from './workflow-references';

@ApiTags('events')
@ApiBearerAuth()
@Controller('v1/routes')
export class RoutesController {
  constructor(
    private readonly commands: EventCommands,
    private readonly workflows: WorkflowReferences,
  ) {}

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

  /** Every route of the workspace, in evaluation order. */
  @Get()
  list(@CurrentCaller() caller: Caller): Promise<Page<RouteView>> {
    return this.commands.list(Types.routeList, caller);
  }

  @Get(':name')
  get(@Param('name') name: string, @CurrentCaller() caller: Caller): Promise<RouteView> {
    return this.commands.at(Types.routeGet, RouteNameQuery, { name }, caller);
  }

  @Delete(':name')
  @HttpCode(204)
  async remove(@Param('name') name: string, @CurrentCaller() caller: Caller): Promise<void> {
    await this.commands.at(Types.routeDelete, RouteNameQuery, { name }, caller);
  }
}
