import { UnitOfWork, type Transaction } from '@baton/database';
import { Injectable } from '@nestjs/common';
import { formatDuration } from '@baton/workflow-dsl';
import { HeldWorkRepository } from '../run-operations/held-work.repository';
import { RunProgress, TimerKinds } from './run-progress';
import { RunsRepository, type TimerRow } from './runs.repository';
import { WorkflowDefinitions } from './workflow-definitions';

/** Fires due timers one transaction each, until none is due. Returns how many fired. */
@Injectable()
export class FireTimersUseCase {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly runs: RunsRepository,
    private readonly definitions: WorkflowDefinitions,
    private readonly progress: RunProgress,
    private readonly heldWork: HeldWorkRepository,
  ) {}

  async execute(limit = 200): Promise<number> {
    let fired = 0;
    while (fired < limit) {
      const found = await this.uow.run(async (tx) => {
        const timer = await this.runs.claimDueTimer(tx.manager);
        if (!timer) return false;
        await this.fire(tx, timer);
        return true;
      });
      if (!found) break;
      fired++;
    }
    return fired;
  }

  private async fire(tx: Transaction, timer: TimerRow): Promise<void> {
    const taskId = String(timer.payload.task_id ?? '');
    const execution = await this.runs.lockExecution(tx.manager, taskId);
    if (!execution) return;
    const run = await this.runs.lockRun(tx.manager, execution.runId);
    // A paused run keeps the timer until it resumes (run-operations/held-work.repository.ts).
    if (run?.status === 'paused') return this.heldWork.holdTimer(tx.manager, timer);
    if (!run || run.status !== 'running') return;
    const definition = await this.definitions.get(
      run.workspaceId,
      run.workflow,
      run.workflowVersion,
    );
    const step = definition.steps[execution.stepIndex];

    if (timer.kind === TimerKinds.stepTimeout) {
      // Only the attempt the timer was set for can time out; a retry has its own timer.
      if (execution.status !== 'running' || execution.attempt !== Number(timer.payload.attempt))
        return;
      await this.progress.failAttempt(tx, run, execution, step, {
        type: 'timeout',
        message: `step '${step.name}' timed out after ${formatDuration(step.timeoutMs ?? 0)}`,
        step: step.name,
      });
    } else if (timer.kind === TimerKinds.retry) {
      if (execution.status !== 'retrying') return;
      execution.attempt += 1;
      execution.status = 'running';
      await tx.manager.query(
        `UPDATE step_executions SET attempt = $2, status = 'running', error = NULL, finished_at = NULL
          WHERE task_id = $1`,
        [execution.taskId, execution.attempt],
      );
      await this.progress.dispatch(tx, run, execution, step);
    }
  }
}
