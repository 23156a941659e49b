import {
  DomainError,
  type Envelope,
  type RunOperationCommand,
  type RunView,
} from '@baton/contracts';
import { UnitOfWork, type Transaction } from '@baton/database';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RunEntity, RunStatus } from '../store/run.entity';
import { toRunView } from '../store/run.view';
import { RunsRepository } from '../store/runs.repository';

/**
 * Locks a run for an operation. The engine's lock order is the run first
 * (every decision locks the run row, then writes its steps), so an operation
 * never deadlocks with a result or a timer applied to the same run at once.
 */
async function lockRunForOperation(
  runs: RunsRepository,
  manager: EntityManager,
  workspaceId: string,
  runId: string,
): Promise<RunEntity> {
  const run = await runs.lockRunInWorkspace(manager, workspaceId, runId);
  if (!run) throw DomainError.notFound('run', runId);
  return run;
}

export function requireStatus(run: RunEntity, operation: string, allowed: RunStatus[]): void {
  if (allowed.includes(run.status)) return;
  throw new DomainError(
    'RUN.INVALID_STATE',
    `cannot ${operation} run ${run.id}: it is ${run.status} (only ${allowed.join(' or ')} runs can be)`,
    [{ field: 'status', message: `is ${run.status}` }],
  );
}

/** The run as it is after the operation committed. */
async function currentView(
  runs: RunsRepository,
  workspaceId: string,
  runId: string,
): Promise<RunView> {
  const run = await runs.findRun(workspaceId, runId);
  if (!run) throw DomainError.notFound('run', runId);
  return toRunView(run, await runs.executionsOf(run.id));
}

/**
 * The frame every run operation (cancel, retry, pause, resume) shares: in one
 * transaction, lock the run and let `operate` change it; then answer the run
 * as it is once that committed.
 */
@Injectable()
export class RunOperationFrame {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly runs: RunsRepository,
  ) {}

  async apply(
    command: RunOperationCommand,
    request: Envelope,
    operate: (tx: Transaction, run: RunEntity) => Promise<void>,
  ): Promise<RunView> {
    await this.uow.run(async (tx) => {
      const run = await lockRunForOperation(
        this.runs,
        tx.manager,
        request.workspaceid,
        command.run_id,
      );
      await operate(tx, run);
    });
    return currentView(this.runs, request.workspaceid, command.run_id);
  }
}
