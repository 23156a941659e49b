import { DomainError } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import type { AgentSnapshot } from '../agent-model/agent-snapshot';
import { TaskFailure } from '../runtimes/agent-runtime';
import { BridgedTaskRunner } from '../runtimes/bridged-task.runner';
import { CreateTaskUseCase } from './create-task.usecase';
import { TaskWaiters } from '../task-outcomes/task-waiters';

/**
 * Lets a runtime call another registered agent of its workspace and wait for
 * the answer (the llm runtime's tools): an ordinary invoke task, so it is
 * recorded, visible and counted like any other.
 */
@Injectable()
export class AgentCalls {
  constructor(
    runner: BridgedTaskRunner,
    private readonly createTask: CreateTaskUseCase,
    private readonly waiters: TaskWaiters,
  ) {
    runner.setAgentCaller((caller, name, input, signal) => this.call(caller, name, input, signal));
  }

  async call(
    caller: AgentSnapshot,
    name: string,
    input: unknown,
    signal: AbortSignal,
  ): Promise<unknown> {
    if (name === caller.name)
      throw new TaskFailure('validation_error', 'an agent cannot call itself');
    const timeoutMs = 30_000;
    let created;
    try {
      created = await this.createTask.execute({
        workspaceId: caller.workspaceId,
        agent: name,
        input,
        origin: 'invoke',
        timeoutMs,
      });
    } catch (error) {
      if (error instanceof DomainError) throw new TaskFailure('validation_error', error.detail);
      throw error;
    }
    const until = Date.now() + timeoutMs;
    while (!signal.aborted) {
      const task = await this.waiters.waitFor(created.task.id, Math.min(until, Date.now() + 1_000));
      if (task?.status === 'completed') return task.output;
      if (task?.status === 'failed') {
        throw new TaskFailure(
          'system_error',
          `agent '${name}' failed: ${task.error?.message ?? 'unknown'}`,
        );
      }
      if (Date.now() >= until)
        throw new TaskFailure('timeout', `agent '${name}' did not answer in time`);
    }
    throw new TaskFailure('timeout', `call to agent '${name}' was aborted`);
  }
}
