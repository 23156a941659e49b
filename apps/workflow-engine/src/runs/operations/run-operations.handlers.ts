import { RunOperationCommand, WorkflowOpsMessageTypes } from '@baton/contracts';
import type { CommandRegistry } from '@baton/kafka';
import { CommandHandlers } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { CancelRunUseCase } from './cancel-run.usecase';
import { PauseResumeUseCase } from './pause-resume.usecase';
import { RetryRunUseCase } from './retry-run.usecase';

/** cancel, pause, resume and retry, registered on the engine's command server. */
@Injectable()
export class RunOperationsHandlers extends CommandHandlers {
  constructor(
    private readonly cancel: CancelRunUseCase,
    private readonly pauseResume: PauseResumeUseCase,
    private readonly retry: RetryRunUseCase,
  ) {
    super();
  }

  register(server: CommandRegistry): void {
    server
      .handle(WorkflowOpsMessageTypes.runCancel, RunOperationCommand, (command, envelope) =>
        this.cancel.execute(command, envelope),
      )
      .handle(WorkflowOpsMessageTypes.runPause, RunOperationCommand, (command, envelope) =>
        this.pauseResume.pause(command, envelope),
      )
      .handle(WorkflowOpsMessageTypes.runResume, RunOperationCommand, (command, envelope) =>
        this.pauseResume.resume(command, envelope),
      )
      .handle(WorkflowOpsMessageTypes.runRetry, RunOperationCommand, (command, envelope) =>
        this.retry.execute(command, envelope),
      );
  }
}
