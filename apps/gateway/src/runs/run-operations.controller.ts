import {
  RunOperationCommand,
  Topics,
  WorkflowOpsMessageTypes,
  validateInto,
  type RunView,
} from '@baton/contracts';
import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, type Caller } from '../auth/caller';
import { PlatformClient } from '../platform/platform-client';

const REASON_BODY = {
  required: false,
  schema: { type: 'object', properties: { reason: { type: 'string', maxLength: 1000 } } },
};

/** Operations on one run; each answers the run as it is afterwards (409 when not allowed now). */
@ApiTags('runs')
@ApiBearerAuth()
@Controller('v1/runs')
export class RunOperationsController {
  constructor(private readonly platform: PlatformClient) {}

  /** Ends a running or paused run; later results of its steps are ignored. */
  @Post(':id/cancel')
  @HttpCode(200)
  @ApiBody(REASON_BODY)
  cancel(@Param('id') id: string, @Body() body: unknown, @CurrentCaller() caller: Caller) {
    return this.operate(WorkflowOpsMessageTypes.runCancel, id, body, caller);
  }

  /** Stops dispatching; results and timers that arrive meanwhile are applied on resume. */
  @Post(':id/pause')
  @HttpCode(200)
  pause(@Param('id') id: string, @CurrentCaller() caller: Caller) {
    return this.operate(WorkflowOpsMessageTypes.runPause, id, undefined, caller);
  }

  @Post(':id/resume')
  @HttpCode(200)
  resume(@Param('id') id: string, @CurrentCaller() caller: Caller) {
    return this.operate(WorkflowOpsMessageTypes.runResume, id, undefined, caller);
  }

  /** A failed run runs again from its failed step, as a new attempt of that step. */
  @Post(':id/retry')
  @HttpCode(200)
  retry(@Param('id') id: string, @CurrentCaller() caller: Caller) {
    return this.operate(WorkflowOpsMessageTypes.runRetry, id, undefined, caller);
  }

  private operate(type: string, id: string, body: unknown, caller: Caller): Promise<RunView> {
    const extra =
      body !== null && typeof body === 'object' && !Array.isArray(body)
        ? (body as Record<string, unknown>)
        : {};
    const command = validateInto(RunOperationCommand, { ...extra, run_id: id });
    return this.platform.send(Topics.workflowCommands, type, command, caller, id);
  }
}
