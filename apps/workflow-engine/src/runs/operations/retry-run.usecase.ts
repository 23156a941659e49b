import { type Envelope, type RunOperationCommand, type RunView } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { RunProgress } from '../execution/run-progress';
import { RunOperationFrame, requireStatus } from './run-lock';

/**
 * Retries a failed run from the step that failed, wherever it is nested: the
 * run is `running` again and the step is sent as a new attempt (attempt + 1,
 * same task id and input), so a late answer to the failed attempt is still
 * ignored. Steps that had completed keep their outputs (interpreter/retry.ts).
 */
@Injectable()
export class RetryRunUseCase {
  constructor(
    private readonly frame: RunOperationFrame,
    private readonly progress: RunProgress,
  ) {}

  async execute(command: RunOperationCommand, request: Envelope): Promise<RunView> {
    return this.frame.apply(command, request, async (tx, run) => {
      requireStatus(run, 'retry', ['failed']);
      await this.progress.retryRun(tx, run, request);
      tx.audit({ action: 'run.retry', target: `run/${run.id}` }, request);
    });
  }
}
