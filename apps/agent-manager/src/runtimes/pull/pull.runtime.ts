import type { FieldError } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { TaskFailure, type AgentRuntime, type RuntimeCall } from '../agent-runtime';
import { PulledTasks, WorkerReportedError } from './pulled-tasks';

const FAILURE_TYPES = new Set(['timeout', 'validation_error', 'system_error']);

/**
 * `pull` agents are served by workers that speak HTTP only (the Python
 * AgentWorker): their tasks wait here until a worker claims one
 * (`POST /v1/agents/{name}/tasks/claim`) and reports its result. The task row
 * keeps its lease meanwhile, so the wait survives nothing but this process;
 * if agent-manager restarts, the lease hands the task to the next replica,
 * which parks it again.
 */
@Injectable()
export class PullRuntime implements AgentRuntime {
  readonly name = 'pull';
  readonly tasks = new PulledTasks();

  configErrors(_config: Record<string, unknown>): FieldError[] {
    return [];
  }

  async run(call: RuntimeCall): Promise<unknown> {
    const key = `${call.agent.workspaceId}/${call.agent.name}`;
    try {
      return await this.tasks.park(key, call.taskId, call.input, call.deadline, call.signal);
    } catch (error) {
      if (error instanceof WorkerReportedError) {
        throw new TaskFailure(
          (FAILURE_TYPES.has(error.type) ? error.type : 'system_error') as never,
          error.message,
        );
      }
      throw error;
    }
  }
}
