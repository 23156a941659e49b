import {
  DomainError,
  ErrorCodes,
  MAX_SHADOW_RUNS,
  SHADOW_SOURCES,
  ShadowWorkflowCommand,
  Topics,
  WorkflowShadowMessageTypes,
  validateInto,
  type ShadowReportView,
} from '@baton/contracts';
import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, callerMay, type Caller } from '../auth/caller';
import { PlatformClient } from '../platform/platform-client';

@ApiTags('workflows')
@ApiBearerAuth()
@Controller('v1/workflows')
export class WorkflowShadowController {
  constructor(private readonly platform: PlatformClient) {}

  /**
   * A shadow run (ADR 0039): the candidate version run in memory on past runs
   * of the workflow (`run_ids`, or the newest `limit` finished runs between
   * `since` and `until`) or on stored events (`source: events`: `event_ids`,
   * or the newest `limit` events of `event_type`, by default the candidate's
   * own trigger, timed between `since` and `until`), each step answered with
   * the past run's recorded answer when it asks the same thing, otherwise
   * with null; no agent, model, tool or connector is called and nothing is
   * stored. Answers, per run, `same`, `differs` (where the path parts and
   * which steps end differently), `failed` (the candidate could not take that
   * input) or `no_live_run` (an event that started no finished live run).
   */
  @Post(':name/versions/:version/shadow')
  @HttpCode(200)
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        source: { type: 'string', enum: [...SHADOW_SOURCES], default: 'runs' },
        run_ids: {
          type: 'array',
          items: { type: 'string', format: 'uuid' },
          maxItems: MAX_SHADOW_RUNS,
        },
        event_ids: {
          type: 'array',
          items: { type: 'string', maxLength: 200 },
          maxItems: MAX_SHADOW_RUNS,
        },
        event_type: { type: 'string', maxLength: 200 },
        since: { type: 'string', format: 'date-time' },
        until: { type: 'string', format: 'date-time' },
        limit: { type: 'integer', minimum: 1, maximum: MAX_SHADOW_RUNS, default: 20 },
      },
    },
  })
  shadow(
    @Param('name') name: string,
    @Param('version') version: string,
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
  ): Promise<ShadowReportView> {
    // The report shows past runs' inputs and outputs: testing workflows alone does not grant that.
    if (!callerMay(caller, 'runs:read')) {
      throw new DomainError(
        ErrorCodes.forbidden,
        "a shadow run needs the permission 'runs:read' too",
      );
    }
    if (!/^\d{1,9}$/.test(version))
      throw DomainError.invalid('version', 'must be a version number');
    const payload = body === undefined || body === '' ? {} : body;
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
      throw new DomainError(ErrorCodes.badRequest, 'the body must be a JSON object', [
        { field: 'body', message: 'must be a JSON object' },
      ]);
    }
    const command = validateInto(ShadowWorkflowCommand, {
      ...payload,
      name,
      version: Number(version),
    });
    return this.platform.send(
      Topics.workflowCommands,
      WorkflowShadowMessageTypes.shadow,
      command,
      caller,
    );
  }
}
