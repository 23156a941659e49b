import {
  AgentTaskTopics,
  createEnvelope,
  DomainError,
  ErrorCodes,
  Headers,
  INVOKE_TIMEOUT_DEFAULT_MS,
  InvokeAgentCommand,
  MessageTypes,
  Topics,
  validateInto,
  type Envelope,
  type ErrorPayload,
  type InvokeResultView,
  type ReplyData,
} from '@baton/contracts';
import { BatonKafka, headerString, type ConsumedMessage } from '@baton/kafka';
import { ConsumerContext, TopicConsumer } from '@baton/service-kit';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { CreateTaskUseCase } from './create-task.usecase';
import { FinishTaskUseCase } from '../task-outcomes/finish-task.usecase';
import type { TaskEntity } from '../task-model/task.entity';
import { TaskWaiters } from '../task-outcomes/task-waiters';

/**
 * Request-response invocations (`POST /v1/agents/{name}/invoke`). The handler
 * records and dispatches the task, then returns at once: the answer is sent to
 * the requester's reply topic when the task finishes or its timeout passes,
 * so a slow agent never holds up a partition of this topic.
 */
@Injectable()
export class InvocationsConsumer extends TopicConsumer {
  private readonly waiting = new Set<Promise<void>>();

  constructor(
    context: ConsumerContext,
    @Inject(BatonKafka) private readonly kafka: BatonKafka,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly createTask: CreateTaskUseCase,
    private readonly finishTask: FinishTaskUseCase,
    private readonly waiters: TaskWaiters,
  ) {
    super(context, 'invocations', {
      topics: [AgentTaskTopics.invocations],
      partitionsConsumedConcurrently: 3,
      // A new group must not replay old invocations whose callers are long gone.
      fromBeginning: false,
      // Like every command consumer, after each batch: a restart must not replay invocations.
      commitIntervalMs: 0,
      handle: (message) => this.accept(message),
    });
  }

  override async onModuleDestroy(): Promise<void> {
    await super.onModuleDestroy();
    // Waiters wake up on shutdown (TaskWaiters) and answer; give them a moment.
    await Promise.race([
      Promise.all(this.waiting),
      new Promise((resolve) => setTimeout(resolve, 2_000).unref()),
    ]);
  }

  private async accept(message: ConsumedMessage): Promise<void> {
    const request = message.envelope;
    const replyTo = headerString(message.headers, Headers.replyTo);
    const requestId = headerString(message.headers, Headers.requestId);
    const answer = (reply: ReplyData) => this.reply(request, replyTo, requestId, reply);
    const received = Date.now();
    let task: TaskEntity;
    let created: boolean;
    let timeoutMs: number;
    try {
      const command = validateInto(InvokeAgentCommand, request.data);
      timeoutMs = command.timeout ?? INVOKE_TIMEOUT_DEFAULT_MS;
      ({ task, created } = await this.createTask.execute({
        workspaceId: request.workspaceid,
        agent: command.name,
        input: command.input,
        origin: 'invoke',
        id: request.id,
        timeoutMs,
        cause: request,
      }));
    } catch (error) {
      await answer({ ok: false, error: this.toPayload(error) });
      return;
    }
    const waiting = this.await(task, received + timeoutMs, created)
      .then(answer)
      .catch((error: Error) =>
        this.logger.error({ err: error, task_id: task.id }, 'invoke reply failed'),
      )
      .finally(() => this.waiting.delete(waiting));
    this.waiting.add(waiting);
  }

  private async await(task: TaskEntity, until: number, created: boolean): Promise<ReplyData> {
    // Called before any I/O since the task was created (see TaskWaiters.waitFor).
    let finished = await this.waiters.waitFor(task.id, until, { justCreated: created });
    if (!finished && Date.now() < until) {
      // Woken by shutdown: the task goes on; the caller can follow it by id.
      return {
        ok: false,
        error: new DomainError(
          ErrorCodes.unavailable,
          `agent-manager is restarting; task ${task.id} continues (GET /v1/tasks/${task.id})`,
        ).toPayload(),
      };
    }
    if (!finished) {
      const limit = until - task.createdAt.getTime();
      const timedOut = await this.finishTask.execute(
        task,
        { status: 'failed', error: { type: 'timeout', message: `no result within ${limit} ms` } },
        { publishResult: task.executor === 'agent-manager' },
      );
      // Not timed out by us: it finished a moment ago, so that outcome is the answer.
      finished = timedOut ? null : await this.waiters.waitFor(task.id, Date.now());
      if (!finished) {
        return {
          ok: false,
          error: new DomainError(
            ErrorCodes.timeout,
            `agent '${task.agent}' did not answer task ${task.id} within ${limit} ms`,
          ).toPayload(),
        };
      }
    }
    if (finished.status === 'completed') {
      const result: InvokeResultView = {
        task_id: finished.id,
        status: 'completed',
        output: finished.output ?? null,
        duration_ms: finished.durationMs,
      };
      return { ok: true, result };
    }
    const error = finished.error ?? { type: 'system_error', message: 'unknown failure' };
    if (error.type === 'timeout') {
      return {
        ok: false,
        error: new DomainError(
          ErrorCodes.timeout,
          `agent '${finished.agent}' timed out on task ${finished.id}: ${error.message}`,
        ).toPayload(),
      };
    }
    return {
      ok: false,
      error: new DomainError(
        ErrorCodes.upstreamFailed,
        `agent '${finished.agent}' failed task ${finished.id} (${error.type}): ${error.message}`,
        [
          {
            field: ['validation_error', 'guardrail'].includes(error.type) ? 'output' : 'task',
            message: error.message,
          },
        ],
      ).toPayload(),
    };
  }

  private toPayload(error: unknown): ErrorPayload {
    if (error instanceof DomainError) return error.toPayload();
    this.logger.error({ err: error }, 'invoke failed');
    return new DomainError(
      ErrorCodes.internal,
      'internal error while invoking the agent',
    ).toPayload();
  }

  private async reply(
    request: Envelope,
    replyTo: string | undefined,
    requestId: string | undefined,
    reply: ReplyData,
  ): Promise<void> {
    if (!replyTo || !requestId) return;
    // Only the gateway invokes; a reply topic anyone may name in a header would let a message
    // make agent-manager write wherever it may (and, on a topic it may not, stall this consumer).
    if (replyTo !== Topics.gatewayReplies) {
      this.logger.warn(
        { type: request.type, replyTo: replyTo.slice(0, 200) },
        "an invocation named a reply topic that is not the gateway's; not answered",
      );
      return;
    }
    const envelope = createEnvelope({
      type: MessageTypes.reply,
      source: 'agent-manager',
      data: reply,
      workspaceId: request.workspaceid,
      causedBy: request,
    });
    await this.kafka.publish([
      { topic: replyTo, key: requestId, envelope, headers: { [Headers.requestId]: requestId } },
    ]);
  }
}
