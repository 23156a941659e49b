import {
  AgentTaskMessageTypes,
  TaskIdQuery,
  Topics,
  validateInto,
  type TaskView,
} from '@baton/contracts';
import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, type Caller } from '../auth/caller';
import { PlatformClient } from '../platform/platform-client';

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('v1/tasks')
export class TasksController {
  constructor(private readonly platform: PlatformClient) {}

  /** A task with its status, output or error, and its callback's attempts and last error. */
  @Get(':id')
  get(@Param('id') id: string, @CurrentCaller() caller: Caller): Promise<TaskView> {
    const query = validateInto(TaskIdQuery, { task_id: id }, 'path');
    return this.platform.send(
      Topics.agentCommands,
      AgentTaskMessageTypes.taskGet,
      query,
      caller,
      id,
    );
  }
}
