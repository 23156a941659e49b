import { Poller } from '@baton/database';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable } from '@nestjs/common';
import { AgentManagerEnv } from '../agent-manager.env';
import type { Logger } from 'pino';
import type { TaskEntity } from '../task-model/task.entity';
import { OutboundHttp, OutboundRefusedError } from '@baton/service-kit';
import {
  callbackDelayMs,
  describeFailure,
  signCallback,
  SIGNATURE_HEADER,
  workspaceCallbackKey,
  type CallbackPayload,
} from './callback-signature';
import { TaskCallbacksRepository } from './task-callbacks.repository';
import { DEVELOPMENT_CALLBACK_SECRET } from '../agent-manager.env';

const POLL_MS = 500;
const BATCH = 20;
const REQUEST_TIMEOUT_MS = 10_000;
/** A claimed delivery is invisible to other pollers this long: longer than one attempt can take. */
const CLAIM_MS = 60_000;

type DueCallback = Pick<
  TaskEntity,
  | 'id'
  | 'agent'
  | 'status'
  | 'output'
  | 'error'
  | 'finishedAt'
  | 'durationMs'
  | 'attempt'
  | 'workspaceId'
> & { callbackUrl: string; callbackAttempts: number };

/**
 * Delivers fire-and-forget results to their callback_url: signed, retried with
 * exponential backoff until a 2xx. The schedule is the task row itself
 * (callback_next_at), so retries survive restarts; a claim moves the row's
 * next time forward, so two replicas never deliver the same attempt at once.
 */
@Injectable()
export class CallbackDelivery extends Poller {
  private readonly secret: string;
  private readonly backoffMs: number;
  private readonly maxDelayMs: number;
  private readonly maxAttempts: number;
  /** Unless private networks are allowed, it calls only public addresses. */
  private readonly http: OutboundHttp;

  constructor(
    private readonly callbacks: TaskCallbacksRepository,
    env: AgentManagerEnv,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super({
      round: () => this.deliverDue(),
      intervalMs: POLL_MS,
      onError: (err) => logger.warn({ err }, 'callback delivery failed; will retry'),
    });
    this.secret = env.BATON_CALLBACK_SECRET ?? DEVELOPMENT_CALLBACK_SECRET;
    this.backoffMs = env.CALLBACK_BACKOFF_MS;
    this.maxDelayMs = env.CALLBACK_MAX_DELAY_MS;
    this.maxAttempts = env.CALLBACK_MAX_ATTEMPTS;
    this.http = new OutboundHttp({
      allowPrivateNetworks: env.CALLBACK_ALLOW_PRIVATE_NETWORKS === true,
    });
  }

  override async onModuleDestroy(): Promise<void> {
    await super.onModuleDestroy();
    await this.http.close();
  }

  wake(): void {
    this.loop.wake();
  }

  /** One round; true when the batch was full, so more may be due. */
  private async deliverDue(): Promise<boolean> {
    const due = await this.claimDue();
    await Promise.all(due.map((callback) => this.deliver(callback)));
    return due.length === BATCH;
  }

  private async claimDue(): Promise<DueCallback[]> {
    const rows = await this.callbacks.claimDue(CLAIM_MS, BATCH);
    return rows.map((row) => ({
      id: row.id,
      agent: row.agent,
      status: row.status as TaskEntity['status'],
      output: row.output,
      error: row.error,
      finishedAt: row.finished_at,
      durationMs: row.duration_ms,
      attempt: row.attempt,
      callbackUrl: row.callback_url,
      callbackAttempts: row.callback_attempts,
      workspaceId: row.workspace_id,
    }));
  }

  private async deliver(callback: DueCallback): Promise<void> {
    const attempt = callback.callbackAttempts + 1;
    const payload: CallbackPayload = {
      task_id: callback.id,
      agent: callback.agent,
      status: callback.status,
      output: callback.output ?? null,
      error: callback.error ?? null,
      finished_at: callback.finishedAt ? callback.finishedAt.toISOString() : null,
      duration_ms: callback.durationMs,
      attempt,
      sent_at: new Date().toISOString(),
    };
    const body = JSON.stringify(payload);
    let failure: string | null = null;
    try {
      const response = await this.http.fetch(callback.callbackUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'baton-agent-manager',
          'x-baton-task-id': callback.id,
          'x-baton-delivery-attempt': String(attempt),
          [SIGNATURE_HEADER]: signCallback(
            workspaceCallbackKey(this.secret, callback.workspaceId),
            body,
          ),
        },
        body,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await response.text().catch(() => '');
      if (response.status < 200 || response.status >= 300) {
        failure = describeFailure(response.status, text);
      }
    } catch (error) {
      if (error instanceof OutboundRefusedError) {
        // Retrying cannot help: the callback fails now, with the reason on the task.
        return await this.record(callback.id, attempt, error.message, true);
      }
      const cause = (error as { cause?: { message?: string } }).cause;
      failure = describeFailure(
        null,
        cause?.message ? `${(error as Error).message}: ${cause.message}` : String(error),
      );
    }
    await this.record(callback.id, attempt, failure);
  }

  private async record(
    id: string,
    attempt: number,
    failure: string | null,
    permanent = false,
  ): Promise<void> {
    if (failure === null) {
      await this.callbacks.markDelivered(id, attempt);
      return;
    }
    const givingUp = permanent || attempt >= this.maxAttempts;
    const delay = callbackDelayMs(attempt, this.backoffMs, this.maxDelayMs);
    await this.callbacks.markFailed(id, attempt, givingUp ? 'failed' : 'retrying', failure, delay);
    this.logger.warn(
      { task_id: id, attempt, reason: failure, giving_up: givingUp },
      'task callback not acknowledged',
    );
  }
}
