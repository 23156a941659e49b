import {
  TaskResultMessage,
  WorkflowEventTypes,
  validateInto,
  type Envelope,
} from '@baton/contracts';
import { UnitOfWork, type Transaction } from '@baton/database';
import {
  buildExpressionScope,
  evaluateTemplate,
  type Step,
  type WorkflowDefinition,
} from '@baton/workflow-dsl';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { HeldWorkRepository } from '../run-operations/held-work.repository';
import type { RunEntity } from './run.entity';
import { planFrom, type StepFailure } from './run-planner';
import { RunProgress } from './run-progress';
import { RunsRepository } from './runs.repository';
import { StepExecutionEntity } from './step-execution.entity';
import { WorkflowDefinitions } from './workflow-definitions';
import { workflowEvent } from './workflow-events';

const INBOX = 'task-results';

/** Applies an agent's or connector's answer to its step, then moves the run on. */
@Injectable()
export class ApplyTaskResultUseCase {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly runs: RunsRepository,
    private readonly definitions: WorkflowDefinitions,
    private readonly progress: RunProgress,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly heldWork: HeldWorkRepository,
  ) {}

  async execute(envelope: Envelope): Promise<void> {
    const result = validateInto(TaskResultMessage, envelope.data, 'result');
    await this.uow.run(async (tx) => {
      if (!(await tx.markProcessed(INBOX, envelope.id))) return;
      // Lock order everywhere: step execution, then run.
      const execution = await this.runs.lockExecution(tx.manager, result.task_id);
      if (!execution) return; // a task the engine did not send (e.g. a direct invoke)
      if (execution.attempt !== result.attempt || execution.status !== 'running') {
        this.logger.info(
          {
            task_id: result.task_id,
            attempt: result.attempt,
            current_attempt: execution.attempt,
            status: execution.status,
          },
          'late or duplicate task result ignored',
        );
        return;
      }
      const run = await this.runs.lockRun(tx.manager, execution.runId);
      // A paused run keeps the result until it resumes (run-operations/held-work.repository.ts).
      if (run?.status === 'paused') return this.heldWork.holdResult(tx.manager, run.id, envelope);
      if (!run || run.status !== 'running') return;
      const definition = await this.definitions.get(
        run.workspaceId,
        run.workflow,
        run.workflowVersion,
      );
      const step = definition.steps[execution.stepIndex];
      await this.runs.deleteTaskTimers(tx.manager, run.id, execution.taskId);
      if (result.status === 'completed') {
        await this.complete(tx, run, definition, execution, step, result.output, envelope);
      } else {
        const failure: StepFailure = {
          type: result.error?.type ?? 'system_error',
          message: result.error?.message ?? 'the task failed without a reason',
          step: execution.stepName,
        };
        await this.progress.failAttempt(tx, run, execution, step, failure, envelope);
      }
    });
  }

  private async complete(
    tx: Transaction,
    run: RunEntity,
    definition: WorkflowDefinition,
    execution: StepExecutionEntity,
    step: Step,
    rawOutput: unknown,
    cause: Envelope,
  ): Promise<void> {
    const steps = await this.runs.stepResults(tx.manager, run.id);
    let output: unknown = rawOutput ?? null;
    if (step.output !== undefined) {
      // The step's own output mapping sees the raw result under the step's name.
      steps[step.name] = { status: 'completed', output };
      try {
        output = await evaluateTemplate(step.output, scopeOf(run, steps));
      } catch (error) {
        const failure: StepFailure = {
          type: 'system_error',
          message: `step '${step.name}' output: ${(error as Error).message}`,
          step: step.name,
        };
        await this.progress.failAttempt(
          tx,
          run,
          execution,
          { ...step, retry: { ...step.retry, maxAttempts: 1 } },
          failure,
          cause,
        );
        return;
      }
    }
    const now = new Date();
    await tx.manager.query(
      `UPDATE step_executions SET status = 'completed', output = $2::jsonb, error = NULL, finished_at = $3 WHERE task_id = $1`,
      [execution.taskId, JSON.stringify(output), now],
    );
    tx.publish(
      workflowEvent(
        WorkflowEventTypes.stepCompleted,
        run,
        { step: step.name, attempt: execution.attempt, output },
        cause,
      ),
    );
    steps[step.name] = { status: 'completed', output };
    const plan = await planFrom(
      definition,
      {
        runId: run.id,
        workflow: run.workflow,
        workflowVersion: run.workflowVersion,
        input: run.input,
        trigger: run.trigger,
        steps,
      },
      execution.stepIndex + 1,
    );
    await this.progress.apply(tx, run, plan, cause);
  }
}

function scopeOf(run: RunEntity, steps: Record<string, { status: string; output?: unknown }>) {
  return buildExpressionScope({
    input: run.input,
    workflow: { run_id: run.id, name: run.workflow, version: run.workflowVersion },
    steps,
  });
}
