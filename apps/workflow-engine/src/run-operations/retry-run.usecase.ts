import {
  DomainError,
  ErrorCodes,
  WorkflowOpsEventTypes,
  type Envelope,
  type RunOperationCommand,
  type RunView,
} from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import { findStep } from '@baton/workflow-dsl';
import { Injectable } from '@nestjs/common';
import { RunProgress } from '../runs/run-progress';
import { RunsRepository } from '../runs/runs.repository';
import { StepExecutionEntity } from '../runs/step-execution.entity';
import { WorkflowDefinitions } from '../runs/workflow-definitions';
import { workflowEvent } from '../runs/workflow-events';
import { currentView, lockRunForOperation, requireStatus } from './run-lock';

/**
 * Retries a failed run from the step that failed: the run is `running`
 * again and the step is dispatched as a new attempt (attempt + 1, same task
 * id and input), so a late answer to the failed attempt is still ignored.
 * The steps that had completed keep their outputs.
 */
@Injectable()
export class RetryRunUseCase {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly runs: RunsRepository,
    private readonly definitions: WorkflowDefinitions,
    private readonly progress: RunProgress,
  ) {}

  async execute(command: RunOperationCommand, request: Envelope): Promise<RunView> {
    await this.uow.run(async (tx) => {
      const run = await lockRunForOperation(tx.manager, request.workspaceid, command.run_id);
      requireStatus(run, 'retry', ['failed']);
      const execution = await tx.manager
        .createQueryBuilder(StepExecutionEntity, 's')
        .setLock('pessimistic_write')
        .where(`s.run_id = :runId AND s.status = 'failed'`, { runId: run.id })
        .orderBy('s.finished_at', 'DESC')
        .limit(1)
        .getOne();
      const definition = await this.definitions.get(
        run.workspaceId,
        run.workflow,
        run.workflowVersion,
      );
      const step = execution ? findStep(definition, execution.stepName) : undefined;
      if (!execution || !step || (step.kind !== 'agent' && step.kind !== 'action')) {
        throw new DomainError(
          ErrorCodes.conflict,
          `run ${run.id} failed before any agent or action step did (${run.error?.message ?? 'no error'}); there is no step to retry`,
        );
      }
      const now = new Date();
      execution.attempt += 1;
      execution.status = 'running';
      await tx.manager.query(
        `UPDATE step_executions SET attempt = $2, status = 'running', error = NULL, output = NULL,
                started_at = $3, finished_at = NULL
          WHERE task_id = $1`,
        [execution.taskId, execution.attempt, now],
      );
      await tx.manager.query(
        `UPDATE runs SET status = 'running', error = NULL, output = NULL, updated_at = $2,
                finished_at = NULL
          WHERE id = $1`,
        [run.id, now],
      );
      Object.assign(run, { status: 'running', error: null, finishedAt: null, updatedAt: now });
      tx.publish(
        workflowEvent(
          WorkflowOpsEventTypes.runRetried,
          run,
          { step: execution.stepName, attempt: execution.attempt },
          request,
        ),
      );
      await this.progress.dispatch(tx, run, execution, step, request);
    });
    return currentView(this.runs, request.workspaceid, command.run_id);
  }
}
