import {
  DomainError,
  ErrorCodes,
  FlowMessageTypes,
  TestWorkflowCommand,
  Topics,
  validateInto,
  type WorkflowTestView,
} from '@baton/contracts';
import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, type Caller } from '../auth/caller';
import { PlatformClient } from '../platform/platform-client';

@ApiTags('workflows')
@ApiBearerAuth()
@Controller('v1/workflows')
export class WorkflowTestsController {
  constructor(private readonly platform: PlatformClient) {}

  /**
   * A dry run of the active version (or of `yaml`, the workflow's text as
   * edited, unsaved): every step answered by a mock
   * (`{ output }` or `{ error: { type, message } }`, or a list of those, one per
   * call), no agent called, nothing stored. Answers the full trace and, with
   * `expect`, whether the result matched.
   */
  @Post(':name/test')
  @HttpCode(200)
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        yaml: { type: 'string', description: 'the text to dry-run instead of the active version' },
        input: { type: 'object' },
        mocks: { type: 'object', additionalProperties: true },
        expect: {
          type: 'object',
          properties: { status: { type: 'string' }, output: {} },
        },
      },
    },
  })
  test(
    @Param('name') name: string,
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
  ): Promise<WorkflowTestView> {
    const payload = body === undefined || body === '' ? {} : body;
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
      throw new DomainError(ErrorCodes.badRequest, 'the body must be a JSON object', [
        { field: 'body', message: 'must be a JSON object' },
      ]);
    }
    const command = validateInto(TestWorkflowCommand, { ...payload, name });
    return this.platform.send(
      Topics.workflowCommands,
      FlowMessageTypes.workflowTest,
      command,
      caller,
    );
  }
}
