import {
  CreateTransformCommand,
  EventRoutingMessageTypes as Types,
  PageQuery,
  PreviewTransformCommand,
  Topics,
  TransformNameQuery,
  type TransformPreviewView,
  type TransformView,
} from '@baton/contracts';
import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, type Caller } from '../auth/caller';
import { ResourceRoutes } from '../resources/resource-routes';

@ApiTags('events')
@ApiBearerAuth()
@Controller('v1/transforms')
export class TransformsController extends ResourceRoutes({
  topic: Topics.eventCommands,
  key: { name: TransformNameQuery },
  // Creates or replaces a named JSONata mapping; an expression that does not parse is a 422 with its position.
  create: {
    type: Types.transformCreate,
    body: CreateTransformCommand,
    field: 'transform',
    location: (_: TransformView, command) => `/v1/transforms/${command.name}`,
    key: (command) => command.name,
  },
  list: Types.transformList,
  listQuery: PageQuery,
  get: Types.transformGet,
}) {
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
