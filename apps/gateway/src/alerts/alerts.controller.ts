import {
  AlertHistoryQuery,
  AlertMessageTypes as Types,
  AlertNameQuery,
  CreateAlertCommand,
  SilenceAlertCommand,
  Topics,
  UpdateAlertCommand,
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

/** Alert rules (docs/alerts.md): evaluated by event-manager, notified through channels. */
@ApiTags('alerts')
@ApiBearerAuth()
@Controller('v1/alerts')
export class AlertsController {
  constructor(private readonly platform: PlatformClient) {}

  /** `{ name, condition, notification_channels, severity, for?, window?, scope? }`; the same rule again answers 200. */
  @Post()
  @ApiBody({ schema: dtoSchemaRef(CreateAlertCommand) })
  async create(
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AlertView> {
    const command = validateInto(CreateAlertCommand, body);
    const result = await this.platform.send<{ created: boolean; alert: AlertView }>(
      Topics.eventCommands,
      Types.alertCreate,
      command,
      caller,
      command.name,
    );
    response.status(result.created ? 201 : 200).location(`/v1/alerts/${result.alert.name}`);
    return result.alert;
  }

  @Get()
  list(@CurrentCaller() caller: Caller): Promise<Page<AlertView>> {
    return this.platform.send(Topics.eventCommands, Types.alertList, {}, caller);
  }

  @Get(':name')
  get(@Param('name') name: string, @CurrentCaller() caller: Caller): Promise<AlertView> {
    const query = validateInto(AlertNameQuery, { name }, 'path');
    return this.platform.send(Topics.eventCommands, Types.alertGet, query, caller, name);
  }

  /** The given fields replace the current ones; the rule is evaluated afresh (state ok). */
  @Patch(':name')
  @ApiBody({ schema: dtoSchemaRef(UpdateAlertCommand) })
  update(
    @Param('name') name: string,
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
  ): Promise<AlertView> {
    const fields =
      body !== null && typeof body === 'object' && !Array.isArray(body) ? body : { body };
    const command = validateInto(UpdateAlertCommand, { ...fields, name });
    return this.platform.send(Topics.eventCommands, Types.alertUpdate, command, caller, name);
  }

  @Delete(':name')
  @HttpCode(204)
  async remove(@Param('name') name: string, @CurrentCaller() caller: Caller): Promise<void> {
    const query = validateInto(AlertNameQuery, { name }, 'path');
    await this.platform.send(Topics.eventCommands, Types.alertDelete, query, caller, name);
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
    return this.platform.send(Topics.eventCommands, Types.alertHistory, filter, caller, name);
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
    const fields =
      body !== null && typeof body === 'object' && !Array.isArray(body) ? body : { body };
    const command = validateInto(SilenceAlertCommand, { ...fields, name });
    return this.platform.send(Topics.eventCommands, Types.alertSilence, command, caller, name);
  }
}
