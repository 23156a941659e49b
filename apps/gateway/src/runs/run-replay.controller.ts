import {
  ReplayRunCommand,
  Topics,
  WorkflowOpsMessageTypes,
  validateInto,
  type RunView,
} from '@baton/contracts';
import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, type Caller } from '../auth/caller';
import { PlatformClient } from '../platform/platform-client';

/**
 * `POST /v1/runs/{id}/replay`: the run again, as a new run of the same
 * version and input, answering its llm steps from the recorded model calls
 * (docs/agents-and-models.md). Answers the new run (201).
 */
@ApiTags('runs')
@ApiBearerAuth()
@Controller('v1/runs')
export class RunReplayController {
  constructor(private readonly platform: PlatformClient) {}

  @Post(':id/replay')
  @HttpCode(201)
  @ApiBody({
    required: false,
    schema: {
      type: 'object',
      properties: {
        refresh: {
          type: 'array',
          items: { type: 'string' },
          description: 'steps that ask the model again instead of reusing recorded answers',
        },
      },
    },
  })
  replay(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
  ): Promise<RunView> {
    const extra =
      body !== null && typeof body === 'object' && !Array.isArray(body)
        ? (body as Record<string, unknown>)
        : {};
    const command = validateInto(ReplayRunCommand, { ...extra, run_id: id });
    return this.platform.send(
      Topics.workflowCommands,
      WorkflowOpsMessageTypes.runReplay,
      command,
      caller,
      id,
    );
  }
}
