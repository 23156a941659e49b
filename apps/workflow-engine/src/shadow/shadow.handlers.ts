import { ShadowWorkflowCommand, WorkflowShadowMessageTypes } from '@baton/contracts';
import type { CommandRegistry } from '@baton/kafka';
import { CommandHandlers } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { ShadowWorkflowUseCase } from './shadow-workflow.usecase';

/** The shadow-run command, registered on the engine's command server. */
@Injectable()
export class ShadowHandlers extends CommandHandlers {
  constructor(private readonly shadow: ShadowWorkflowUseCase) {
    super();
  }

  register(server: CommandRegistry): void {
    server.handle(WorkflowShadowMessageTypes.shadow, ShadowWorkflowCommand, (command, envelope) =>
      this.shadow.execute(command, envelope),
    );
  }
}
