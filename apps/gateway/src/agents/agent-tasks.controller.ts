import {
  AgentTaskMessageTypes,
  InvokeAgentCommand,
  SubmitTaskCommand,
  Topics,
  validateInto,
  type InvokeResultView,
  type TaskView,
} from '@baton/contracts';
import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentCaller, type Caller } from '../auth/caller';
import { dtoSchemaRef } from '../openapi/openapi';
import { invokeAgent } from '../platform/invoke-agent';
import { PlatformClient } from '../platform/platform-client';

function bodyObject(body: unknown): Record<string, unknown> {
  return body !== null && typeof body === 'object' && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : { body };
}

/** The seed's request-response and fire-and-forget patterns. */
@ApiTags('agents')
@ApiBearerAuth()
@Controller('v1/agents')
export class AgentTasksController {
  constructor(private readonly platform: PlatformClient) {}

  /** `{ input, timeout }` (ms) → the agent's output, or 504 when the timeout passes. */
  @Post(':name/invoke')
  @HttpCode(200)
  @ApiBody({ schema: dtoSchemaRef(InvokeAgentCommand) })
  invoke(
    @Param('name') name: string,
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
  ): Promise<InvokeResultView> {
    const command = validateInto(InvokeAgentCommand, { ...bodyObject(body), name });
    return invokeAgent(this.platform, command, caller);
  }

  /** `{ input, callback_url }` → 202 `{ task_id }`; the result is POSTed to callback_url, signed. */
  @Post(':name/tasks')
  @ApiBody({ schema: dtoSchemaRef(SubmitTaskCommand) })
  async submit(
    @Param('name') name: string,
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ task_id: string; status: string }> {
    const command = validateInto(SubmitTaskCommand, {
      ...bodyObject(body),
      name,
      ...(idempotencyKey ? { idempotency_key: idempotencyKey } : {}),
    });
    const result = await this.platform.send<{ created: boolean; task: TaskView }>(
      Topics.agentCommands,
      AgentTaskMessageTypes.submit,
      command,
      caller,
      name,
    );
    response.status(202).location(`/v1/tasks/${result.task.id}`);
    return { task_id: result.task.id, status: result.task.status };
  }
}
