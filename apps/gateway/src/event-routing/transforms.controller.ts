import {
  CreateTransformCommand,
  EventRoutingMessageTypes as Types,
  PageQuery,
  PreviewTransformCommand,
  Topics,
  TransformNameQuery,
  validateInto,
  type Page,
  type TransformPreviewView,
  type TransformView,
  isObject,
} from '@baton/contracts';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentCaller, type Caller } from '../auth/caller';
import { dtoSchemaRef } from '../openapi/openapi';
import { PlatformClient } from '../platform/platform-client';

@ApiTags('events')
@ApiBearerAuth()
@Controller('v1/transforms')
export class TransformsController {
  constructor(private readonly platform: PlatformClient) {}

  /** Creates or replaces a named JSONata mapping; an expression that does not parse is a 422 with its position. */
  @Post()
  @ApiBody({ schema: dtoSchemaRef(CreateTransformCommand) })
  async create(
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TransformView> {
    const command = validateInto(CreateTransformCommand, body);
    const result = await this.platform.send<{ created: boolean; transform: TransformView }>(
      Topics.eventCommands,
      Types.transformCreate,
      command,
      caller,
      command.name,
    );
    response.status(result.created ? 201 : 200).location(`/v1/transforms/${command.name}`);
    return result.transform;
  }

  @Get()
  list(
    @Query() query: Record<string, string>,
    @CurrentCaller() caller: Caller,
  ): Promise<Page<TransformView>> {
    const page = validateInto(PageQuery, query, 'query', { convertTypes: true });
    return this.platform.send(Topics.eventCommands, Types.transformList, page, caller);
  }

  @Get(':name')
  get(@Param('name') name: string, @CurrentCaller() caller: Caller): Promise<TransformView> {
    const query = validateInto(TransformNameQuery, { name }, 'path');
    return this.platform.send(Topics.eventCommands, Types.transformGet, query, caller, name);
  }

  /** Applies the transform to a sample event: `{ ok, result }` or `{ ok: false, error: { message, position, line, column } }`. */
  @Post(':name/preview')
  @HttpCode(200)
  @ApiBody({
    schema: { type: 'object', properties: { event: { type: 'object' } }, required: ['event'] },
  })
  preview(
    @Param('name') name: string,
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
  ): Promise<TransformPreviewView> {
    const command = validateInto(PreviewTransformCommand, {
      ...(isObject(body) ? body : {}),
      name,
    });
    return this.platform.send(Topics.eventCommands, Types.transformPreview, command, caller, name);
  }
}
