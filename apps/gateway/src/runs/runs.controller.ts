import {
  AgentTaskMessageTypes,
  ListLlmCallsQuery,
  ListRunsQuery,
  MessageTypes,
  RunIdQuery,
  Topics,
  validateInto,
  type LlmCallView,
  type Page,
  type RunView,
} from '@baton/contracts';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, type Caller } from '../auth/caller';
import { PlatformClient } from '../platform/platform-client';
import { ResourceRoutes } from '../resources/resource-routes';

@ApiTags('runs')
@ApiBearerAuth()
@Controller('v1/runs')
export class RunsController extends ResourceRoutes({
  topic: Topics.workflowCommands,
  list: MessageTypes.runList,
  listQuery: ListRunsQuery,
}) {
  constructor(private readonly platform: PlatformClient) {
    super(platform);
  }

  /** The run with every step's input, output, status, attempts and timings. */
  @Get(':id')
  get(@Param('id') id: string, @CurrentCaller() caller: Caller): Promise<RunView> {
    const query = validateInto(RunIdQuery, { run_id: id }, 'path');
    return this.commands.send(MessageTypes.runGet, query, caller, id);
  }

  /** The model calls the run's llm agents made, recorded once (request, answer, tokens, cost). */
  @Get(':id/llm-calls')
  llmCalls(
    @Param('id') id: string,
    @Query() query: Record<string, string>,
    @CurrentCaller() caller: Caller,
  ): Promise<Page<LlmCallView>> {
    const filter = validateInto(ListLlmCallsQuery, { ...query, run_id: id }, 'query', {
      convertTypes: true,
    });
    return this.platform.send(Topics.agentCommands, AgentTaskMessageTypes.llmCalls, filter, caller);
  }
}
