import {
  WorkflowOpsEventTypes,
  type Envelope,
  type RunOperationCommand,
  type RunView,
} from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import { Injectable } from '@nestjs/common';
import { RunsRepository } from '../runs/runs.repository';
import { workflowEvent } from '../runs/workflow-events';
import { HeldWorkRepository } from './held-work.repository';
import { currentView, lockRunForOperation, requireStatus } from './run-lock';

/**
 * Ends a running or paused run for good: its unfinished steps become
 * `cancelled` (so a late result finds no attempt to complete), its timers and
 * held work are dropped, and nothing is dispatched for it again.
 */
@Injectable()
export class CancelRunUseCase {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly runs: RunsRepository,
    private readonly held: HeldWorkRepository,
  ) {}

  async execute(command: RunOperationCommand, request: Envelope): Promise<RunView> {
    await this.uow.run(async (tx) => {
      const run = await lockRunForOperation(tx.manager, request.workspaceid, command.run_id);
      if (run.status === 'cancelled') return; // cancelling twice is harmless
      requireStatus(run, 'cancel', ['running', 'paused']);
      const now = new Date();
      const error = { type: 'cancelled', message: command.reason ?? 'cancelled by request' };
      await tx.manager.query(
        `UPDATE runs SET status = 'cancelled', error = $2::jsonb, paused_at = NULL,
                updated_at = $3, finished_at = $3
          WHERE id = $1`,
        [run.id, JSON.stringify(error), now],
      );
      await tx.manager.query(
        `UPDATE step_executions SET status = 'cancelled', finished_at = $2
          WHERE run_id = $1 AND status IN ('running', 'retrying')`,
        [run.id, now],
      );
      await this.held.discard(tx.manager, run.id);
      run.status = 'cancelled';
      tx.publish(workflowEvent(WorkflowOpsEventTypes.runCancelled, run, { error }, request));
    });
    return currentView(this.runs, request.workspaceid, command.run_id);
  }
}
