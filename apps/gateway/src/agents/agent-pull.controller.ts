import {
  AgentTaskMessageTypes,
  ClaimTaskCommand,
  DomainError,
  ExtendClaimCommand,
  ReportTaskCommand,
  Topics,
  validateInto,
  type ClaimedTaskView,
  type ClaimLeaseView,
} from '@baton/contracts';
import { Body, Controller, HttpCode, Param, Post, Res, type OnModuleDestroy } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentCaller, type Caller } from '../auth/caller';
import { dtoSchemaRef } from '../openapi/openapi';
import { PlatformClient } from '../platform/platform-client';

const WAIT_DEFAULT_MS = 20_000;
const WAIT_MAX_MS = 30_000;
/** How often a waiting claim asks agent-manager again. */
const CLAIM_POLL_MS = 250;

function bodyObject(body: unknown): Record<string, unknown> {
  return body !== null && typeof body === 'object' && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};
}

/**
 * Workers without Kafka (the Python AgentWorker, the SDK's PullWorker) serve
 * `pull` agents here: claim the next task under a lease (long poll), renew
 * the lease while at work, then post its result. A task whose lease runs out
 * without a result goes to the next claim (ADR 0033).
 */
@ApiTags('agents')
@ApiBearerAuth()
@Controller('v1/agents')
export class AgentPullController implements OnModuleDestroy {
  /** Set at shutdown: waiting claims answer 204 at once, so they hold up no stop. */
  private stopping = false;

  constructor(private readonly platform: PlatformClient) {}

  /**
   * A claim may wait up to 30 s, longer than a stop may take (SHUTDOWN_TIMEOUT_MS):
   * the HTTP server would wait for it, and the process be killed with the stop
   * unfinished. A worker told 204 simply claims again, from another replica.
   */
  onModuleDestroy(): void {
    this.stopping = true;
  }

  /**
   * `{ worker_id?, lease_ms?, wait_ms? }` → 200 `{ task_id, input, claim_token, lease_expires_at, ... }`,
   * or 204 when no task came within `wait_ms` (default 20 s, at most 30 s).
   */
  @Post(':name/tasks/claim')
  @HttpCode(200)
  @ApiBody({ schema: dtoSchemaRef(ClaimTaskCommand) })
  async claim(
    @Param('name') name: string,
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ClaimedTaskView | undefined> {
    const { wait_ms: waitMs = WAIT_DEFAULT_MS, ...rest } = bodyObject(body);
    if (!Number.isInteger(waitMs) || (waitMs as number) < 0 || (waitMs as number) > WAIT_MAX_MS) {
      throw DomainError.invalid('wait_ms', `must be an integer from 0 to ${WAIT_MAX_MS}`);
    }
    const command = validateInto(ClaimTaskCommand, { ...rest, name });
    let gone = false;
    // The response's close, not the request's: a request closes once its body is read.
    response.on('close', () => (gone = true));
    const until = Date.now() + (waitMs as number);
    for (;;) {
      const { task } = await this.platform.send<{ task: ClaimedTaskView | null }>(
        Topics.agentCommands,
        AgentTaskMessageTypes.claim,
        command,
        caller,
        name,
      );
      if (task) return task;
      if (gone || this.stopping || Date.now() + CLAIM_POLL_MS > until) break;
      await new Promise((resolve) => setTimeout(resolve, CLAIM_POLL_MS));
    }
    response.status(204);
    return undefined;
  }

  /** `{ claim_token, lease_ms? }` → 200 `{ task_id, lease_expires_at, deadline }`; 409 once the claim expired. */
  @Post(':name/tasks/:id/lease')
  @HttpCode(200)
  @ApiBody({ schema: dtoSchemaRef(ExtendClaimCommand) })
  extend(
    @Param('name') name: string,
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
  ): Promise<ClaimLeaseView> {
    const command = validateInto(ExtendClaimCommand, { ...bodyObject(body), name, task_id: id });
    return this.platform.send(
      Topics.agentCommands,
      AgentTaskMessageTypes.extend,
      command,
      caller,
      name,
    );
  }

  /** `{ claim_token, output }` or `{ claim_token, error: { type, message } }` → 200 `{ accepted: true }`. */
  @Post(':name/tasks/:id/result')
  @HttpCode(200)
  @ApiBody({ schema: dtoSchemaRef(ReportTaskCommand) })
  report(
    @Param('name') name: string,
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
  ): Promise<{ accepted: true }> {
    const command = validateInto(ReportTaskCommand, { ...bodyObject(body), name, task_id: id });
    return this.platform.send(
      Topics.agentCommands,
      AgentTaskMessageTypes.report,
      command,
      caller,
      name,
    );
  }
}
