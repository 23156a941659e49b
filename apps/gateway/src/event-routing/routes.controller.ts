import {
  CreateRouteCommand,
  EventRoutingMessageTypes as Types,
  RouteNameQuery,
  Topics,
  validateInto,
  type Page,
  type RouteView,
} from '@baton/contracts';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentCaller, type Caller } from '../auth/caller';
import { dtoSchemaRef } from '../openapi/openapi';
import { PlatformClient } from '../platform/platform-client';
import { WorkflowReferences } from './workflow-references';

@ApiTags('events')
@ApiBearerAuth()
@Controller('v1/routes')
export class RoutesController {
  constructor(
    private readonly platform: PlatformClient,
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
    const result = await this.platform.send<{ created: boolean; route: RouteView }>(
      Topics.eventCommands,
      Types.routeCreate,
      command,
      caller,
      command.name,
    );
    response.status(result.created ? 201 : 200).location(`/v1/routes/${command.name}`);
    return result.route;
  }

  /** Every route of the workspace, in evaluation order. */
  @Get()
  list(@CurrentCaller() caller: Caller): Promise<Page<RouteView>> {
    return this.platform.send(Topics.eventCommands, Types.routeList, {}, caller);
  }

  @Get(':name')
  get(@Param('name') name: string, @CurrentCaller() caller: Caller): Promise<RouteView> {
    const query = validateInto(RouteNameQuery, { name }, 'path');
    return this.platform.send(Topics.eventCommands, Types.routeGet, query, caller, name);
  }

  @Delete(':name')
  @HttpCode(204)
  async remove(@Param('name') name: string, @CurrentCaller() caller: Caller): Promise<void> {
    const query = validateInto(RouteNameQuery, { name }, 'path');
    await this.platform.send(Topics.eventCommands, Types.routeDelete, query, caller, name);
  }
}
