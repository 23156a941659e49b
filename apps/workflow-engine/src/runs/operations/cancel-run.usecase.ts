import { type Envelope, type RunOperationCommand, type RunView } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { RunProgress } from '../execution/run-progress';
import { RunOperationFrame, requireStatus } from './run-lock';

/**
 * Ends a running, paused or queued run for good, through the interpreter: its
 * unfinished steps become `cancelled` (so a late result finds no attempt to
 * complete), its timers, waits and held work are dropped, and its child runs
 * are cancelled in turn (each in its own transaction, see RunProgress).
 */
@Injectable()
export class CancelRunUseCase {
  constructor(
    private readonly frame: RunOperationFrame,
    private readonly progress: RunProgress,
  ) {}

  async execute(command: RunOperationCommand, request: Envelope): Promise<RunView> {
    return this.frame.apply(command, request, async (tx, run) => {
      if (run.status === 'cancelled') return; // cancelling twice is harmless
      requireStatus(run, 'cancel', ['running', 'paused', 'queued']);
      await this.progress.cancelRun(tx, run, command.reason ?? 'cancelled by request', request);
      tx.audit({ action: 'run.cancel', target: `run/${run.id}` }, request);
    });
  }
}
