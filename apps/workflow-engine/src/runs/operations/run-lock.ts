import { DomainError, type RunView } from '@baton/contracts';
import type { EntityManager } from 'typeorm';
import type { RunEntity, RunStatus } from '../store/run.entity';
import { toRunView } from '../store/run.view';
import type { RunsRepository } from '../store/runs.repository';

/**
 * Locks a run for an operation. The engine's lock order is the run first
 * (every decision locks the run row, then writes its steps), so an operation
 * never deadlocks with a result or a timer applied to the same run at once.
 */
export async function lockRunForOperation(
  runs: RunsRepository,
  tx: { manager: EntityManager },
  request: { workspaceid: string },
  runId: string,
): Promise<RunEntity> {
  const run = await runs.lockRunInWorkspace(tx.manager, request.workspaceid, runId);
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
export async function currentView(
  runs: RunsRepository,
  workspaceId: string,
  runId: string,
): Promise<RunView> {
  const run = await runs.findRun(workspaceId, runId);
  if (!run) throw DomainError.notFound('run', runId);
  return toRunView(run, await runs.executionsOf(run.id));
}
