import {
  AlertHistoryQuery,
  AlertMessageTypes as Types,
  AlertNameQuery,
  CreateAlertCommand,
  SilenceAlertCommand,
  Topics,
  UpdateAlertCommand,
  isObject,
  validateInto,
  type AlertHistoryEntryView,
  type AlertView,
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

/** Alert rules (docs/alerts.md): evaluated by event-manager, notified through channels. */
@ApiTags('alerts')
@ApiBearerAuth()
@Controller('v1/alerts')
export class AlertsController {
  private readonly events: TopicCommands;

  constructor(platform: PlatformClient) {
    this.events = new TopicCommands(platform, Topics.eventCommands);
  }

  /** `{ name, condition, notification_channels, severity, for?, window?, scope? }`; the same rule again answers 200. */
  @Post()
  @ApiBody({ schema: dtoSchemaRef(CreateAlertCommand) })
  create(
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AlertView> {
    const command = validateInto(CreateAlertCommand, body);
    return this.events.create<AlertView>(Types.alertCreate, command, caller, response, {
      field: 'alert',
      location: (alert) => `/v1/alerts/${alert.name}`,
      key: command.name,
    });
  }

  @Get()
  list(@CurrentCaller() caller: Caller): Promise<Page<AlertView>> {
    return this.events.list(Types.alertList, caller);
  }

  @Get(':name')
  get(@Param('name') name: string, @CurrentCaller() caller: Caller): Promise<AlertView> {
    return this.events.at(Types.alertGet, AlertNameQuery, { name }, caller);
  }

  /** The given fields replace the current ones; the rule is evaluated afresh (state ok). */
  @Patch(':name')
  @ApiBody({ schema: dtoSchemaRef(UpdateAlertCommand) })
  update(
    @Param('name') name: string,
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
  ): Promise<AlertView> {
    const command = validateInto(UpdateAlertCommand, { ...fieldsOf(body), name });
    return this.events.send(Types.alertUpdate, command, caller, name);
  }

  @Delete(':name')
  @HttpCode(204)
  async remove(@Param('name') name: string, @CurrentCaller() caller: Caller): Promise<void> {
    await this.events.at(Types.alertDelete, AlertNameQuery, { name }, caller);
  }

  /** Every state change, newest first, with the notifications each caused. */
  @Get(':name/history')
  history(
    @Param('name') name: string,
    @Query() query: Record<string, string>,
    @CurrentCaller() caller: Caller,
  ): Promise<Page<AlertHistoryEntryView>> {
    const filter = validateInto(AlertHistoryQuery, { ...query, name }, 'query', {
      convertTypes: true,
    });
    return this.events.send(Types.alertHistory, filter, caller, name);
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
    const command = validateInto(SilenceAlertCommand, { ...fieldsOf(body), name });
    return this.events.send(Types.alertSilence, command, caller, name);
  }
}

/** A body that is not an object is checked as a field `body`, so the answer names it. */
function fieldsOf(body: unknown): object {
  return isObject(body) ? body : { body };
}
