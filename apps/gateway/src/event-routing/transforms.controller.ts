import {
  CreateTransformCommand,
  EventRoutingMessageTypes as Types,
  PageQuery,
  PreviewTransformCommand,
  Topics,
  TransformNameQuery,
  validateInto,
  type TransformPreviewView,
  type TransformView,
} from '@baton/contracts';
import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentCaller, type Caller } from '../auth/caller';
import { dtoSchemaRef } from '../openapi/openapi';
import { ResourceRoutes } from '../platform/resource-routes';

@ApiTags('events')
@ApiBearerAuth()
@Controller('v1/transforms')
export class TransformsController extends ResourceRoutes({
  topic: Topics.eventCommands,
  key: 'name',
  keyQuery: TransformNameQuery,
  list: { type: Types.transformList, query: PageQuery },
  get: Types.transformGet,
}) {
  /** Creates or replaces a named JSONata mapping; an expression that does not parse is a 422 with its position. */
  @Post()
  @ApiBody({ schema: dtoSchemaRef(CreateTransformCommand) })
  create(
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TransformView> {
    const command = validateInto(CreateTransformCommand, body);
    return this.commands.create<TransformView>(Types.transformCreate, command, caller, response, {
      field: 'transform',
      key: command.name,
      location: () => `/v1/transforms/${command.name}`,
    });
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
    const command = this.commands.body(PreviewTransformCommand, body, { name });
    return this.commands.send(Types.transformPreview, command, caller, name);
  }
}
