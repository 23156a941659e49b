import {
  createEnvelope,
  FlowEventTypes,
  MessageTypes,
  Topics,
  WorkflowEventTypes,
  type ActionTaskMessage,
  type Envelope,
} from '@baton/contracts';
import type { Transaction } from '@baton/database';
import { Injectable } from '@nestjs/common';
import type { Decision, Effect, RunOutcome } from '../../interpreter';
import { EarlyEventsRepository } from '../store/early-events.repository';
import type { RunEntity, RunError } from '../store/run.entity';
import { RunsRepository } from '../store/runs.repository';
import type { RunWrites } from '../store/run-writes';
import { TimerKinds } from '../store/timer-kinds';
import { agentTaskMessage } from './agent-task-message';
import { workflowEvent } from './workflow-events';

/**
 * Carries out what the interpreter decided for one run, in the caller's
 * transaction: the changed step records and the run row go to `writes`,
 * dispatches and run events to the outbox, timers and waits to their tables.
 * A step is dispatched if and only if the state that dispatched it commits.
 */
@Injectable()
export class EffectExecutor {
  constructor(
    private readonly runs: RunsRepository,
    private readonly earlyEvents: EarlyEventsRepository,
  ) {}

  async carryOut(
    tx: Transaction,
    run: RunEntity,
    decision: Decision,
    writes: RunWrites,
    cause?: Envelope,
  ): Promise<void> {
    writes.saveRecords(run.id, decision.state.records, decision.changed);
    for (const effect of decision.effects) await this.carryOutOne(tx, run, effect, writes, cause);
    this.saveRun(tx, run, decision, writes, cause);
  }

  private async carryOutOne(
    tx: Transaction,
    run: RunEntity,
    effect: Effect,
    writes: RunWrites,
    cause?: Envelope,
  ): Promise<void> {
    const manager = tx.manager;
    const now = Date.now();
    const addTimer = (kind: string, fireAt: Date, payload: Record<string, unknown>) =>
      writes.addTimer({ runId: run.id, kind, fireAt, payload });
    switch (effect.kind) {
      case 'dispatch':
        return this.dispatch(tx, run, effect, cause);
      case 'start-child':
        return addTimer(TimerKinds.startChild, new Date(now), {
          task_id: effect.taskId,
          attempt: effect.attempt,
          workflow: effect.workflow,
          input: effect.input ?? null,
        });
      case 'await-event': {
        const wait = {
          workspaceId: run.workspaceId,
          type: effect.eventType,
          correlation: effect.correlation,
        };
        // The event may have come first (a fast callback): then it ends the wait at once,
        // as a due-now signal handled in a transaction of its own.
        const early = await this.earlyEvents.take(manager, wait);
        if (early) {
          return addTimer(TimerKinds.waitEvent, new Date(now), {
            task_id: effect.taskId,
            type: early.type,
            data: early.data,
          });
        }
        return this.runs.addWait(manager, { ...wait, taskId: effect.taskId, runId: run.id });
      }
      case 'timer':
        return addTimer(effect.timer, new Date(now + effect.delayMs), {
          ...(effect.taskId ? { task_id: effect.taskId } : {}),
          ...(effect.attempt !== undefined ? { attempt: effect.attempt } : {}),
        });
      case 'release':
        writes.releaseTimers(run.id, effect.taskId);
        if (effect.waits) await this.runs.deleteTaskWaits(manager, effect.taskId);
        if (effect.children) {
          for (const child of await this.runs.runningChildren(manager, effect.taskId)) {
            writes.addTimer({
              runId: child,
              kind: TimerKinds.cancelRun,
              fireAt: new Date(now),
              payload: { reason: 'the parent step no longer waits for this run' },
            });
          }
        }
        return;
      case 'event':
        tx.publish(workflowEvent(effect.type, run, effect.data, cause));
        return;
    }
  }

  /** Sends a step's current attempt to its agent or connector. */
  private dispatch(
    tx: Transaction,
    run: RunEntity,
    effect: Extract<Effect, { kind: 'dispatch' }>,
    cause?: Envelope,
  ): void {
    const common = {
      source: 'workflow-engine',
      subject: run.id,
      workspaceId: run.workspaceId,
      correlationId: run.correlationId,
      causedBy: cause,
    };
    if (effect.target === 'agent') {
      tx.publish(
        agentTaskMessage(
          run,
          {
            taskId: effect.taskId,
            attempt: effect.attempt,
            agent: effect.name,
            step: effect.step,
            input: effect.input,
            ...(effect.timeoutMs ? { deadline: Date.now() + effect.timeoutMs } : {}),
          },
          cause,
        ),
      );
      return;
    }
    tx.publish({
      topic: Topics.integrationTasks,
      key: run.id,
      envelope: createEnvelope<ActionTaskMessage>({
        ...common,
        type: MessageTypes.actionTask,
        data: {
          task_id: effect.taskId,
          attempt: effect.attempt,
          action: effect.name,
          connection: effect.connection,
          input: effect.input ?? undefined,
          run_id: run.id,
          step: effect.step,
        },
      }),
    });
  }

  private saveRun(
    tx: Transaction,
    run: RunEntity,
    decision: Decision,
    writes: RunWrites,
    cause?: Envelope,
  ): void {
    const now = new Date();
    const { outcome, state } = decision;
    run.state = state.control;
    run.updatedAt = now;
    if (!outcome) {
      writes.updateRun(run, { state: state.control, updatedAt: now });
      return;
    }
    const error: RunError | null =
      outcome.status === 'completed' || !outcome.error
        ? null
        : {
            type: outcome.error.type,
            message: outcome.error.message,
            ...(outcome.error.step ? { step: outcome.error.step } : {}),
          };
    const output = 'output' in outcome ? (outcome.output ?? null) : null;
    run.status = outcome.status;
    run.output = output;
    run.error = error;
    run.finishedAt = now;
    run.pausedAt = null;
    writes.updateRun(run, {
      state: state.control,
      updatedAt: now,
      finished: { status: run.status, output, error, at: now },
    });
    // What the run still had pending (a workflow timeout, signals to it) has no purpose left.
    writes.releaseTimers(run.id, null);
    tx.publish(workflowEvent(RUN_EVENT[outcome.status], run, runEventData(outcome), cause));
    if (run.parentRunId && run.parentTaskId) {
      // The parent's step learns in a transaction of its own (see TimerKinds).
      writes.addTimer({
        runId: run.parentRunId,
        kind: TimerKinds.childFinished,
        fireAt: now,
        payload: {
          task_id: run.parentTaskId,
          attempt: run.parentAttempt ?? 1,
          child_run_id: run.id,
          status: outcome.status,
          output,
          error,
        },
      });
    }
  }
}

const RUN_EVENT: Record<RunOutcome['status'], string> = {
  completed: WorkflowEventTypes.runCompleted,
  failed: WorkflowEventTypes.runFailed,
  cancelled: FlowEventTypes.runCancelled,
};

function runEventData(outcome: RunOutcome): Record<string, unknown> {
  if (outcome.status === 'completed') return { output: outcome.output };
  return {
    ...(outcome.error
      ? { error: { type: outcome.error.type, message: outcome.error.message } }
      : {}),
    ...('output' in outcome && outcome.output !== undefined ? { output: outcome.output } : {}),
  };
}
