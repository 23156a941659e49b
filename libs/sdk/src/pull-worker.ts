import type { ClaimedTaskView } from './api-types';
import { BatonApiError, BatonConflictError, BatonNotFoundError } from './errors';
import { HttpClient, type HttpOptions } from './http-client';
import { retryDefaults, retryDelayMs } from './retry-policy';

/** Failed claims back off from 0.5 s up to 10 s, however many fail in a row. */
const CLAIM_BACKOFF = retryDefaults({ maxRetries: Infinity, baseDelayMs: 500, maxDelayMs: 10_000 });

export type PullTaskErrorType = 'timeout' | 'validation_error' | 'system_error';

/** Throw this from a PullWorker handler to fail the task with a type the workflow's handlers match. */
export class PullTaskError extends Error {
  constructor(
    readonly type: PullTaskErrorType,
    message: string,
  ) {
    super(message);
    this.name = 'PullTaskError';
  }
}

export interface PullTaskContext {
  taskId: string;
  /** When the task fails with `timeout` whatever the worker does. */
  deadline: Date;
  /** Aborted when the lease was lost (the task went to another claim) or the worker stops. */
  signal: AbortSignal;
}

export interface PullWorkerOptions extends HttpOptions {
  /** A registered agent with `runtime: pull`. */
  agent: string;
  handler: (input: unknown, context: PullTaskContext) => Promise<unknown> | unknown;
  /** Tasks handled at once (default 1). */
  concurrency?: number;
  /** The claim's lease (default 30 s), renewed every third of it while the handler runs. */
  leaseMs?: number;
  /** How long one claim waits for a task (default 20 s, at most 30 s). */
  waitMs?: number;
  workerId?: string;
  /** Told about refused results, lost leases and failed claims (default: console.warn). */
  onWarning?: (message: string, details: Record<string, unknown>) => void;
}

/**
 * Serves a `pull` agent over HTTP alone, like the Python AgentWorker: where a
 * Kafka client is not wanted or cannot run. Each slot claims a task
 * (`POST /v1/agents/{name}/tasks/claim`, a long poll), runs the handler while
 * renewing the lease (`.../tasks/{id}/lease`), and posts the result. A lease
 * that runs out hands the task to the next claim, so delivery is at least once.
 */
export class PullWorker {
  private readonly http: HttpClient;
  private readonly leaseMs: number;
  private readonly waitMs: number;
  private readonly workerId: string;
  private readonly stopping = new AbortController();
  private loops: Promise<void>[] = [];
  handled = 0;
  failed = 0;

  constructor(private readonly options: PullWorkerOptions) {
    this.http = new HttpClient(options);
    this.leaseMs = options.leaseMs ?? 30_000;
    this.waitMs = options.waitMs ?? 20_000;
    // No node:os here: this file is part of the HTTP-only client, which browsers load too.
    this.workerId = options.workerId ?? `pull-worker-${Math.random().toString(36).slice(2, 10)}`;
  }

  start(): this {
    const slots = Math.max(1, this.options.concurrency ?? 1);
    this.loops = Array.from({ length: slots }, () => this.loop());
    return this;
  }

  /** Takes no new task and waits for the handlers running now. */
  async stop(): Promise<void> {
    this.stopping.abort(new Error('the worker is stopping'));
    await Promise.all(this.loops);
  }

  private get path(): string {
    return `/v1/agents/${encodeURIComponent(this.options.agent)}/tasks`;
  }

  private async loop(): Promise<void> {
    for (let failures = 0; !this.stopping.signal.aborted;) {
      let task: ClaimedTaskView | undefined;
      try {
        task = await this.http.request<ClaimedTaskView | undefined>('POST', `${this.path}/claim`, {
          body: { worker_id: this.workerId, lease_ms: this.leaseMs, wait_ms: this.waitMs },
          timeoutMs: this.waitMs + 10_000,
          signal: this.stopping.signal,
        });
        failures = 0;
      } catch (error) {
        if (this.stopping.signal.aborted) return;
        // A refused agent (not found, not a pull agent, no permission) will not get better.
        if (error instanceof BatonApiError && error.status < 500 && error.status !== 429) {
          this.warn('cannot serve this agent; the worker stops', { error: error.message });
          return;
        }
        this.warn('claiming a task failed; retrying', { error: (error as Error).message });
        await pause(
          retryDelayMs(++failures, undefined, CLAIM_BACKOFF) ?? 10_000,
          this.stopping.signal,
        );
        continue;
      }
      if (task) await this.serve(task);
    }
  }

  private async serve(task: ClaimedTaskView): Promise<void> {
    const lease = new AbortController();
    const renewal = this.renewWhileRunning(task, lease);
    let outcome: { output: unknown } | { error: { type: string; message: string } };
    try {
      const output = await this.options.handler(task.input, {
        taskId: task.task_id,
        deadline: new Date(task.deadline),
        signal: lease.signal,
      });
      outcome = { output: output ?? null };
    } catch (error) {
      const type = error instanceof PullTaskError ? error.type : 'system_error';
      outcome = { error: { type, message: String((error as Error).message).slice(0, 4000) } };
    } finally {
      lease.abort(new Error('the handler finished'));
      await renewal;
    }
    try {
      await this.http.request('POST', `${this.path}/${task.task_id}/result`, {
        body: { claim_token: task.claim_token, ...outcome },
        // Reporting twice is harmless (the second is refused), so a 503 may be retried.
        headers: { 'idempotency-key': task.claim_token },
      });
      if ('output' in outcome) this.handled++;
      else this.failed++;
    } catch (error) {
      this.warn('result not used; the lease handed the task on', {
        task_id: task.task_id,
        error: (error as Error).message,
      });
    }
  }

  /** Renews every third of the lease until the handler is done; a refused renewal aborts the handler's signal. */
  private async renewWhileRunning(task: ClaimedTaskView, lease: AbortController): Promise<void> {
    const every = Math.max(200, Math.floor(this.leaseMs / 3));
    while (await pause(every, lease.signal)) {
      try {
        await this.http.request('POST', `${this.path}/${task.task_id}/lease`, {
          body: { claim_token: task.claim_token, lease_ms: this.leaseMs },
          signal: lease.signal,
        });
      } catch (error) {
        if (lease.signal.aborted) return;
        if (error instanceof BatonConflictError || error instanceof BatonNotFoundError) {
          this.warn('lease lost; the task was handed on or finished', { task_id: task.task_id });
          lease.abort(error);
          return;
        }
        // A passing outage: the next renewal may still come before the lease ends.
        this.warn('renewing the lease failed; retrying', { error: (error as Error).message });
      }
    }
  }

  private warn(message: string, details: Record<string, unknown>): void {
    if (this.options.onWarning) this.options.onWarning(message, details);
    else console.warn(`[PullWorker ${this.options.agent}] ${message}`, details);
  }
}

/** Resolves true after `ms`, false at once when `signal` aborts first. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
