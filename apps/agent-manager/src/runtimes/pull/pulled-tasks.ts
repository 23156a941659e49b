import { randomBytes } from 'node:crypto';

/** A task waiting for an HTTP worker, or held by one under a claim. */
interface PulledTask {
  taskId: string;
  input: unknown;
  deadline: number;
  claim?: { token: string; until: number; worker: string };
  settle: (outcome: { output: unknown } | { error: { type: string; message: string } }) => void;
}

export interface Claim {
  taskId: string;
  input: unknown;
  token: string;
  until: number;
  deadline: number;
}

export type ReportVerdict = 'accepted' | 'unknown-task' | 'stale-claim';

/**
 * The tasks of `pull` agents, per agent (`<workspace>/<name>`), in the order
 * they arrived. A claim holds a task for its lease; a claim that expires
 * without a report leaves the task to the next claim (the worker crashed or
 * hung), and its token is then refused. Pure bookkeeping: the task row's own
 * lease (BridgedTaskRunner) covers a crash of agent-manager itself.
 */
export class PulledTasks {
  private readonly byAgent = new Map<string, PulledTask[]>();

  /** Parks a task until a worker reports it; the answer settles with the worker's outcome. */
  park(
    agentKey: string,
    taskId: string,
    input: unknown,
    deadline: number,
    signal: AbortSignal,
  ): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const queue = this.byAgent.get(agentKey) ?? [];
      this.byAgent.set(agentKey, queue);
      const remove = () => {
        const index = queue.findIndex((task) => task.taskId === taskId);
        if (index >= 0) queue.splice(index, 1);
        if (queue.length === 0) this.byAgent.delete(agentKey);
      };
      signal.addEventListener(
        'abort',
        () => {
          remove();
          reject(signal.reason as Error);
        },
        { once: true },
      );
      queue.push({
        taskId,
        input,
        deadline,
        settle: (outcome) => {
          remove();
          if ('output' in outcome) resolve(outcome.output);
          else reject(new WorkerReportedError(outcome.error.type, outcome.error.message));
        },
      });
    });
  }

  /** The oldest task no live claim holds, now claimed by `worker` until `now + leaseMs`. */
  claim(agentKey: string, worker: string, leaseMs: number, now: number): Claim | undefined {
    const task = this.byAgent
      .get(agentKey)
      ?.find((candidate) => !candidate.claim || candidate.claim.until <= now);
    if (!task) return undefined;
    const until = Math.min(now + leaseMs, task.deadline);
    task.claim = { token: randomBytes(16).toString('hex'), until, worker };
    return {
      taskId: task.taskId,
      input: task.input,
      token: task.claim.token,
      until,
      deadline: task.deadline,
    };
  }

  report(
    agentKey: string,
    taskId: string,
    token: string,
    outcome: { output: unknown } | { error: { type: string; message: string } },
    now: number,
  ): ReportVerdict {
    const task = this.byAgent.get(agentKey)?.find((candidate) => candidate.taskId === taskId);
    if (!task) return 'unknown-task';
    // An expired claim is void even before anyone else claimed the task: its lease was the promise.
    if (!task.claim || task.claim.token !== token || task.claim.until <= now) return 'stale-claim';
    task.settle(outcome);
    return 'accepted';
  }

  waiting(agentKey: string): number {
    return this.byAgent.get(agentKey)?.length ?? 0;
  }
}

/** A worker answered the task with an error: the task fails with the worker's type and message. */
export class WorkerReportedError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = 'WorkerReportedError';
  }
}
