import {
  AgentTaskMessageTypes,
  LlmBudgetQuery,
  SetLlmBudgetCommand,
  Topics,
  validateInto,
  type LlmBudgetView,
} from '@baton/contracts';
import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, type Caller } from '../auth/caller';
import { dtoSchemaRef } from '../openapi/openapi';
import { PlatformClient } from '../platform/platform-client';

/** The workspace's limits on what its llm agents spend, and what they spent today and this month. */
@ApiTags('agents')
@ApiBearerAuth()
@Controller('v1/llm-budget')
export class LlmBudgetController {
  constructor(private readonly platform: PlatformClient) {}

  @Get()
  get(
    @Query() query: Record<string, string>,
    @CurrentCaller() caller: Caller,
  ): Promise<LlmBudgetView> {
    const filter = validateInto(LlmBudgetQuery, query, 'query');
    return this.platform.send(
      Topics.agentCommands,
      AgentTaskMessageTypes.llmBudgetGet,
      filter,
      caller,
    );
  }

  /** Replaces the limits: `{ tokens_per_day?, cost_per_month?, … }`; an absent field is no limit. */
  @Put()
  @ApiBody({ schema: dtoSchemaRef(SetLlmBudgetCommand) })
  set(@Body() body: unknown, @CurrentCaller() caller: Caller): Promise<LlmBudgetView> {
    const command = validateInto(SetLlmBudgetCommand, body ?? {});
    return this.platform.send(
      Topics.agentCommands,
      AgentTaskMessageTypes.llmBudgetSet,
      command,
      caller,
    );
  }
}
