import {
  createEnvelope,
  MessageTypes,
  TASK_ERROR_TYPES,
  Topics,
  type TaskErrorType,
  type TaskResultMessage,
} from '@baton/contracts';
import { outboxMessages, UnitOfWork } from '@baton/database';
import { Injectable } from '@nestjs/common';
import { CallbackDelivery } from '../callbacks/callback-delivery';
import type { TaskEntity } from '../task-model/task.entity';
import { TaskWaiters } from './task-waiters';
import { TasksRepository, type TaskOutcome } from '../task-model/tasks.repository';

/** Where a result produced by agent-manager itself says it came from. */
export const AGENT_MANAGER_INSTANCE = 'agent-manager';

@Injectable()
export class FinishTaskUseCase {
  constructor(
    private readonly tasks: TasksRepository,
    private readonly uow: UnitOfWork,
    private readonly waiters: TaskWaiters,
    private readonly callbacks: CallbackDelivery,
  ) {}

  /**
   * Records a task's outcome once (a duplicate or late result is a no-op) and,
   * for tasks agent-manager executed itself, publishes the result on
   * baton.agent.results in the same transaction, as a worker would, so the
   * workflow engine and the stats see it.
   */
  async execute(
    task: TaskEntity,
    outcome: TaskOutcome,
    options: { publishResult: boolean; claimToken?: string },
  ): Promise<boolean> {
    // One statement, no BEGIN/COMMIT: the finish, its NOTIFY and its outbox row together.
    const finished = await this.uow.runAsOneStatement(async (tx) => {
      if (options.publishResult) {
        tx.publish({
          topic: Topics.agentResults,
          key: task.runId ?? task.id,
          envelope: createEnvelope<TaskResultMessage>({
            type: MessageTypes.agentResult,
            source: `agent/${task.agent}`,
            subject: task.runId ?? task.id,
            workspaceId: task.workspaceId,
            correlationId: task.correlationId ?? undefined,
            data: {
              task_id: task.id,
              attempt: task.attempt,
              ...(task.runId ? { run_id: task.runId } : {}),
              status: outcome.status,
              ...(outcome.status === 'completed' ? { output: outcome.output ?? null } : {}),
              ...(outcome.error ? { error: resultError(outcome.error) } : {}),
              instance_id: AGENT_MANAGER_INSTANCE,
              ...(outcome.durationMs !== undefined ? { duration_ms: outcome.durationMs } : {}),
            },
          }),
        });
      }
      const messages = tx.unwrittenOutbox();
      const recorded = await this.tasks.finish(
        tx.manager,
        task,
        outcome,
        options.claimToken,
        messages.length > 0 ? outboxMessages(messages) : null,
      );
      if (!recorded) {
        // Finished already (a duplicate or late result): its result was sent then.
        tx.discardUnwritten();
        return null;
      }
      if (recorded.outboxId) tx.outboxWritten(recorded.outboxId, messages.length);
      return recorded;
    });
    if (!finished) return false;
    // The committed outcome goes to this process's waiters as it is: an invoke answers
    // without reading the row back (other replicas' waiters read it on the NOTIFY).
    this.waiters.notify(task.id, {
      ...task,
      status: outcome.status,
      output: outcome.status === 'completed' ? (outcome.output ?? null) : null,
      error: outcome.error ?? null,
      leaseUntil: null,
      callbackStatus: task.callbackUrl ? 'pending' : null,
      finishedAt: finished.finishedAt,
      durationMs: finished.durationMs,
    });
    if (task.callbackUrl) this.callbacks.wake();
    return true;
  }
}

/** The error as the engine takes it: one of the task error types, anything else a system_error. */
function resultError(error: { type: string; message: string }): TaskResultMessage['error'] {
  const type = (TASK_ERROR_TYPES as readonly string[]).includes(error.type)
    ? (error.type as TaskErrorType)
    : 'system_error';
  return { type, message: error.message.slice(0, 4000) };
}
