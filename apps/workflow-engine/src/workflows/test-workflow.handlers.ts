import { FlowMessageTypes, TestWorkflowCommand } from '@baton/contracts';
import type { CommandRegistry } from '@baton/kafka';
import { CommandHandlers } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { TestWorkflowUseCase } from './test-workflow.usecase';

/** The dry-run command, registered on the engine's command server. */
@Injectable()
export class TestWorkflowHandlers extends CommandHandlers {
  constructor(private readonly testWorkflow: TestWorkflowUseCase) {
    super();
  }

  register(server: CommandRegistry): void {
    server.handle(FlowMessageTypes.workflowTest, TestWorkflowCommand, (command, envelope) =>
      this.testWorkflow.execute(command, envelope),
    );
  }
}
