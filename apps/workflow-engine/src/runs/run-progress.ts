import {
  createEnvelope,
  MessageTypes,
  Topics,
  WorkflowEventTypes,
  type ActionTaskMessage,
  type AgentTaskMessage,
  type Envelope,
} from '@baton/contracts';
import { insertEntity, type Transaction } from '@baton/database';
import {
  computeRetryDelay,
  shouldRetry,
  type ActionStep,
  type AgentStep,
  type Step,
} from '@baton/workflow-dsl';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { RunEntity, RunError } from './run.entity';
import type { Plan, StepFailure } from './run-planner';
import { RunsRepository } from './runs.repository';
import { StepExecutionEntity } from './step-execution.entity';
import { workflowEvent } from './workflow-events';

export const TimerKinds = { stepTimeout: 'step-timeout', retry: 'retry' } as const;

/**
 * Turns the planner's decisions into rows, timers and outbox messages, all in
 * the caller's transaction: a step is dispatched if and only if its state is
 * committed.
 */
@Injectable()
export class RunProgress {
  constructor(private readonly runs: RunsRepository) {}

  async apply(tx: Transaction, run: RunEntity, plan: Plan, cause?: Envelope): Promise<void> {
    const now = new Date();
    for (const skipped of plan.skipped) {
      await insertEntity(tx.manager, StepExecutionEntity, {
        taskId: randomUUID(),
        runId: run.id,
        stepName: skipped.name,
        stepIndex: skipped.index,
        status: 'skipped',
        attempt: 0,
        agent: null,
        action: null,
        input: null,
        output: null,
        error: null,
        startedAt: now,
        finishedAt: now,
      });
    }
    const move = plan.move;
    if (move.kind === 'dispatch') {
      const execution = Object.assign(new StepExecutionEntity(), {
        taskId: randomUUID(),
        runId: run.id,
        stepName: move.step.name,
        stepIndex: move.index,
        status: 'running',
        attempt: 1,
        agent: move.step.kind === 'agent' ? move.target : null,
        action: move.step.kind === 'action' ? move.target : null,
        input: move.input ?? null,
        output: null,
        error: null,
        startedAt: now,
        finishedAt: null,
      });
      await insertEntity(tx.manager, StepExecutionEntity, execution);
      await this.dispatch(tx, run, execution, move.step, cause);
    } else if (move.kind === 'complete') {
      await this.finishRun(tx, run, { status: 'completed', output: move.output ?? null }, cause);
    } else {
      await this.failRun(tx, run, move.error, cause);
    }
  }

  /** Sends the current attempt of a step to its agent or connector, with its timeout timer. */
  async dispatch(
    tx: Transaction,
    run: RunEntity,
    execution: StepExecutionEntity,
    step: Step,
    cause?: Envelope,
  ): Promise<void> {
    const timeoutMs = step.timeoutMs;
    const common = {
      source: 'workflow-engine',
      subject: run.id,
      workspaceId: run.workspaceId,
      correlationId: run.correlationId,
      causedBy: cause,
    };
    if (execution.agent) {
      tx.publish({
        topic: Topics.agentTasks(run.workspaceId, execution.agent),
        key: execution.taskId,
        envelope: createEnvelope<AgentTaskMessage>({
          ...common,
          type: MessageTypes.agentTask,
          data: {
            task_id: execution.taskId,
            agent: execution.agent,
            attempt: execution.attempt,
            input: execution.input ?? undefined,
            run_id: run.id,
            step: execution.stepName,
            ...(timeoutMs ? { deadline: Date.now() + timeoutMs } : {}),
          },
        }),
      });
    } else {
      tx.publish({
        topic: Topics.integrationTasks,
        key: run.id,
        envelope: createEnvelope<ActionTaskMessage>({
          ...common,
          type: MessageTypes.actionTask,
          data: {
            task_id: execution.taskId,
            attempt: execution.attempt,
            action: execution.action!,
            connection: (step as ActionStep).connection,
            input: execution.input ?? undefined,
            run_id: run.id,
            step: execution.stepName,
          },
        }),
      });
    }
    tx.publish(
      workflowEvent(
        WorkflowEventTypes.stepStarted,
        run,
        { step: execution.stepName, attempt: execution.attempt },
        cause,
      ),
    );
    if (timeoutMs) {
      await this.runs.addTimer(
        tx.manager,
        run.id,
        TimerKinds.stepTimeout,
        new Date(Date.now() + timeoutMs),
        {
          task_id: execution.taskId,
          attempt: execution.attempt,
        },
      );
    }
  }

  /** A failed attempt: retried after the policy's backoff, or the run fails. */
  async failAttempt(
    tx: Transaction,
    run: RunEntity,
    execution: StepExecutionEntity,
    step: AgentStep | ActionStep | Step,
    failure: StepFailure,
    cause?: Envelope,
  ): Promise<void> {
    const error: RunError = {
      type: failure.type,
      message: failure.message,
      step: execution.stepName,
    };
    const retrying = shouldRetry(step.retry, execution.attempt, failure.type);
    await tx.manager.query(
      `UPDATE step_executions SET status = $2, error = $3::jsonb, finished_at = $4 WHERE task_id = $1`,
      [
        execution.taskId,
        retrying ? 'retrying' : 'failed',
        JSON.stringify(error),
        retrying ? null : new Date(),
      ],
    );
    tx.publish(
      workflowEvent(
        WorkflowEventTypes.stepFailed,
        run,
        {
          step: execution.stepName,
          attempt: execution.attempt,
          error: { type: error.type, message: error.message },
        },
        cause,
      ),
    );
    if (retrying) {
      const delay = computeRetryDelay(step.retry, execution.attempt);
      await this.runs.addTimer(tx.manager, run.id, TimerKinds.retry, new Date(Date.now() + delay), {
        task_id: execution.taskId,
      });
      return;
    }
    await this.failRun(tx, run, failure, cause);
  }

  async failRun(
    tx: Transaction,
    run: RunEntity,
    failure: StepFailure,
    cause?: Envelope,
  ): Promise<void> {
    const error: RunError = {
      type: failure.type,
      message: failure.message,
      ...(failure.step ? { step: failure.step } : {}),
    };
    await this.finishRun(tx, run, { status: 'failed', error }, cause);
  }

  private async finishRun(
    tx: Transaction,
    run: RunEntity,
    outcome: { status: 'completed'; output: unknown } | { status: 'failed'; error: RunError },
    cause?: Envelope,
  ): Promise<void> {
    const now = new Date();
    run.status = outcome.status;
    run.updatedAt = now;
    run.finishedAt = now;
    if (outcome.status === 'completed') run.output = outcome.output;
    else run.error = outcome.error;
    await tx.manager.query(
      `UPDATE runs SET status = $2, output = $3::jsonb, error = $4::jsonb, updated_at = $5, finished_at = $5
        WHERE id = $1`,
      [
        run.id,
        run.status,
        outcome.status === 'completed' ? JSON.stringify(outcome.output ?? null) : null,
        outcome.status === 'failed' ? JSON.stringify(outcome.error) : null,
        now,
      ],
    );
    tx.publish(
      workflowEvent(
        outcome.status === 'completed'
          ? WorkflowEventTypes.runCompleted
          : WorkflowEventTypes.runFailed,
        run,
        outcome.status === 'completed'
          ? { output: outcome.output }
          : { error: { type: outcome.error.type, message: outcome.error.message } },
        cause,
      ),
    );
  }
}
