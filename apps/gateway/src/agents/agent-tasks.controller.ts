import {
  AgentTaskMessageTypes,
  InvokeAgentCommand,
  SubmitTaskCommand,
  Topics,
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
import { TopicCommands } from '../platform/topic-commands';

/** The seed's request-response and fire-and-forget patterns. */
@ApiTags('agents')
@ApiBearerAuth()
@Controller('v1/agents')
export class AgentTasksController {
  private readonly commands: TopicCommands;

  constructor(private readonly platform: PlatformClient) {
    this.commands = new TopicCommands(platform, Topics.agentCommands);
  }

  /** `{ input, timeout }` (ms) → the agent's output, or 504 when the timeout passes. */
  @Post(':name/invoke')
  @HttpCode(200)
  @ApiBody({ schema: dtoSchemaRef(InvokeAgentCommand) })
  invoke(
    @Param('name') name: string,
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
  ): Promise<InvokeResultView> {
    const command = this.commands.fields(InvokeAgentCommand, body, { name });
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
    const command = this.commands.fields(SubmitTaskCommand, body, {
      name,
      ...(idempotencyKey ? { idempotency_key: idempotencyKey } : {}),
    });
    const result = await this.commands.send<{ created: boolean; task: TaskView }>(
      AgentTaskMessageTypes.submit,
      command,
      caller,
      name,
    );
    response.status(202).location(`/v1/tasks/${result.task.id}`);
    return { task_id: result.task.id, status: result.task.status };
  }
}
