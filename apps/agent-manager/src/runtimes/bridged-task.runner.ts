import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { AgentManagerEnv } from '../agent-manager.env';
import type { Logger } from 'pino';
import { AgentsRepository } from '../agent-model/agents.repository';
import type { AgentSnapshot } from '../agent-model/agent-snapshot';
import { FinishTaskUseCase } from '../task-outcomes/finish-task.usecase';
import { JsonSchemas } from '../agent-model/json-schemas';
import type { TaskEntity } from '../task-model/task.entity';
import type { TaskOutcome } from '../task-model/tasks.repository';
import { TaskFailure, type RuntimeCall } from './agent-runtime';
import { withBridgedTaskSpan } from './bridged-task-tracing';
import { Runtimes } from './runtimes';
import { LlmCallsRepository } from './llm/llm-calls.repository';
import { PullTasksRepository } from './pull/pull-tasks.repository';

export type AgentCaller = (
  caller: AgentSnapshot,
  name: string,
  input: unknown,
  signal: AbortSignal,
) => Promise<unknown>;

/**
 * Executes tasks of agents agent-manager runs itself (rules, http, llm): the
 * task row carries a lease, so if this process dies mid-task another replica
 * (or this one after a restart) runs it again once the lease expires.
 */
@Injectable()
export class BridgedTaskRunner implements OnModuleDestroy {
  private readonly inFlight = new Map<
    string,
    { controller: AbortController; done: Promise<void>; agent: string }
  >();
  private readonly callTimeoutMs: number;
  private agentCaller?: AgentCaller;

  constructor(
    private readonly runtimes: Runtimes,
    private readonly agents: AgentsRepository,
    private readonly finish: FinishTaskUseCase,
    private readonly schemas: JsonSchemas,
    private readonly llmCalls: LlmCallsRepository,
    private readonly pullTasks: PullTasksRepository,
    env: AgentManagerEnv,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.callTimeoutMs = env.AGENT_CALL_TIMEOUT_MS;
  }

  /** Tool calls need to invoke other agents; set by the tasks module (it would be a cycle otherwise). */
  setAgentCaller(caller: AgentCaller): void {
    this.agentCaller = caller;
  }

  /** How long a task may run when it carries no deadline of its own. */
  deadlineFor(task: Pick<TaskEntity, 'deadline'>): Date {
    return task.deadline ?? new Date(Date.now() + this.callTimeoutMs);
  }

  /** Tasks running here for one agent (`<workspace>/<name>`), reported like a worker's in_flight. */
  inFlightFor(agentKey: string): number {
    let count = 0;
    for (const entry of this.inFlight.values()) if (entry.agent === agentKey) count++;
    return count;
  }

  /** Starts a task in the background; the task row's lease must already be held. */
  launch(task: TaskEntity): void {
    if (this.inFlight.has(task.id)) return;
    const controller = new AbortController();
    const done = this.execute(task, controller)
      .catch((error: Error) =>
        this.logger.error(
          { err: error, task_id: task.id },
          'bridged task crashed; lease will retry it',
        ),
      )
      .finally(() => this.inFlight.delete(task.id));
    this.inFlight.set(task.id, { controller, done, agent: `${task.workspaceId}/${task.agent}` });
  }

  /** Shutdown: running calls are aborted; their leases hand them to another replica. */
  async onModuleDestroy(): Promise<void> {
    const running = [...this.inFlight.values()];
    await Promise.race([
      Promise.all(running.map((r) => r.done)),
      new Promise((resolve) => setTimeout(resolve, 5_000).unref()),
    ]);
    for (const r of this.inFlight.values())
      r.controller.abort(new Error('agent-manager is stopping'));
  }

  private async execute(task: TaskEntity, controller: AbortController): Promise<void> {
    const started = Date.now();
    const agent = await this.agents.snapshot(task.workspaceId, task.agent, task.agentVersion);
    if (agent && this.runtimes.get(agent.runtime)?.waitsForWorkers) {
      // Measured from the row, not from now: a task re-launched after a restart keeps its deadline.
      const deadline = task.deadline ?? new Date(task.createdAt.getTime() + this.callTimeoutMs);
      if (deadline.getTime() > Date.now()) return this.pullTasks.hold(task, deadline);
      await this.finish.execute(
        task,
        failed('timeout', 'no worker reported a result before the task deadline'),
        { publishResult: true },
      );
      return;
    }
    const outcome = agent
      ? await withBridgedTaskSpan(task, agent.runtime, () => this.run(task, agent, controller))
      : failed('system_error', `agent '${task.agent}' version ${task.agentVersion} was not found`);
    // Stopped by shutdown, not by the task: leave it running so its lease hands it on.
    const reason = controller.signal.reason as unknown;
    if (controller.signal.aborted && !(reason instanceof TaskFailure)) return;
    outcome.durationMs = Date.now() - started;
    await this.finish.execute(task, outcome, { publishResult: true });
  }

  private async run(
    task: TaskEntity,
    agent: AgentSnapshot,
    controller: AbortController,
  ): Promise<TaskOutcome> {
    const runtime = this.runtimes.get(agent.runtime);
    if (!runtime)
      return failed('system_error', `runtime '${agent.runtime}' is not run by agent-manager`);
    const deadline = this.deadlineFor(task).getTime();
    const left = deadline - Date.now();
    if (left <= 0) return failed('timeout', 'the task deadline passed before it started');
    const timer = setTimeout(
      () => controller.abort(new TaskFailure('timeout', `no answer within ${left} ms`)),
      left,
    );
    try {
      const call: RuntimeCall = {
        agent,
        taskId: task.id,
        runId: task.runId ?? null,
        step: task.step ?? null,
        attempt: task.attempt,
        input: task.input,
        deadline,
        signal: controller.signal,
        callAgent: (name, input, signal) => {
          if (!this.agentCaller)
            throw new TaskFailure('system_error', 'agent calls are unavailable');
          return this.agentCaller(agent, name, input, signal);
        },
        describeAgent: async (name) => {
          const other = await this.agents.find(agent.workspaceId, name);
          if (!other || other.status !== 'active') return null;
          return { description: other.description, inputSchema: other.inputSchema };
        },
      };
      const output = await abortable(runtime.run(call), controller.signal);
      const problem = this.schemas.outputProblem(
        `${agent.workspaceId}/${agent.name}/${agent.version}`,
        agent.outputSchema,
        output,
      );
      if (!problem) return { status: 'completed', output };
      // The model's answer did not fit the output schema: its retry must ask again, not reuse it.
      await this.llmCalls.discardAttempt(task.id, task.attempt);
      // A model's answer outside its schema is a guardrail failure, not bad input.
      return failed(agent.runtime === 'llm' ? 'guardrail' : 'validation_error', problem);
    } catch (error) {
      if (error instanceof TaskFailure) return failed(error.type, error.message);
      const reason = controller.signal.reason as unknown;
      if (controller.signal.aborted && reason instanceof TaskFailure) {
        return failed(reason.type, reason.message);
      }
      return failed('system_error', (error as Error).message ?? String(error));
    } finally {
      clearTimeout(timer);
    }
  }
}

function failed(type: string, message: string): TaskOutcome {
  return { status: 'failed', error: { type, message } };
}

/** A runtime that ignores its signal still cannot hold the task past the deadline. */
function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error as Error);
      },
    );
  });
}
