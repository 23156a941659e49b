import { FlowMessageTypes, TestWorkflowCommand } from '@baton/contracts';
import type { CommandRegistry } from '@baton/kafka';
import { Injectable } from '@nestjs/common';
import { TestWorkflowUseCase } from './test-workflow.usecase';

/** The dry-run command, registered on the engine's command server. */
@Injectable()
export class TestWorkflowHandlers {
  constructor(private readonly testWorkflow: TestWorkflowUseCase) {}

  register(server: CommandRegistry): void {
    server.handle(FlowMessageTypes.workflowTest, TestWorkflowCommand, (command, envelope) =>
      this.testWorkflow.execute(command, envelope),
    );
  }
}
