import type { FieldError } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { TaskFailure, type AgentRuntime } from '../agent-runtime';

/**
 * `pull` agents are served by workers that speak HTTP only (the Python
 * AgentWorker, the SDK's PullWorker): agent-manager runs nothing for them.
 * Their tasks wait in the tasks table (PullTasksRepository) until a worker
 * claims one (`POST /v1/agents/{name}/tasks/claim`) and reports its result,
 * on whichever replica; the runner only holds each task for workers and times
 * it out at its deadline (ADR 0033).
 */
@Injectable()
export class PullRuntime implements AgentRuntime {
  readonly name = 'pull';
  readonly waitsForWorkers = true;

  configErrors(_config: Record<string, unknown>): FieldError[] {
    return [];
  }

  run(): Promise<unknown> {
    return Promise.reject(new TaskFailure('system_error', 'pull tasks are run by HTTP workers'));
  }
}
