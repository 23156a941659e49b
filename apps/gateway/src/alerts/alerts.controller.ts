import {
  AlertHistoryQuery,
  AlertMessageTypes as Types,
  AlertNameQuery,
  CreateAlertCommand,
  SilenceAlertCommand,
  Topics,
  UpdateAlertCommand,
  type AlertHistoryEntryView,
  type AlertView,
  type Page,
} from '@baton/contracts';
import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, type Caller } from '../auth/caller';
import { dtoSchemaRef } from '../openapi/openapi';
import { ResourceRoutes } from '../resources/resource-routes';

/** Alert rules (docs/alerts.md): evaluated by event-manager, notified through channels. */
@ApiTags('alerts')
@ApiBearerAuth()
@Controller('v1/alerts')
export class AlertsController extends ResourceRoutes({
  topic: Topics.eventCommands,
  key: { name: AlertNameQuery },
  // `{ name, condition, notification_channels, severity, for?, window?, scope? }`; the same rule again answers 200.
  create: {
    type: Types.alertCreate,
    body: CreateAlertCommand,
    field: 'alert',
    location: (alert: AlertView) => `/v1/alerts/${alert.name}`,
    key: (command) => command.name,
  },
  list: Types.alertList,
  get: Types.alertGet,
  remove: Types.alertDelete,
}) {
  /** The given fields replace the current ones; the rule is evaluated afresh (state ok). */
  @Patch(':name')
  @ApiBody({ schema: dtoSchemaRef(UpdateAlertCommand) })
  update(
    @Param('name') name: string,
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
  ): Promise<AlertView> {
    const command = this.commands.fields(UpdateAlertCommand, body, { name });
    return this.commands.send(Types.alertUpdate, command, caller, name);
  }

  /** Every state change, newest first, with the notifications each caused. */
  @Get(':name/history')
  history(
    @Param('name') name: string,
    @Query() query: Record<string, string>,
    @CurrentCaller() caller: Caller,
  ): Promise<Page<AlertHistoryEntryView>> {
    return this.commands.about(Types.alertHistory, AlertHistoryQuery, query, { name }, caller);
  }

  /** `{ until }`: no notifications until then (transitions are still recorded). */
  @Post(':name/silence')
  @HttpCode(200)
  @ApiBody({ schema: dtoSchemaRef(SilenceAlertCommand) })
  silence(
    @Param('name') name: string,
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
  ): Promise<AlertView> {
    const command = this.commands.fields(SilenceAlertCommand, body, { name });
    return this.commands.send(Types.alertSilence, command, caller, name);
  }
}
