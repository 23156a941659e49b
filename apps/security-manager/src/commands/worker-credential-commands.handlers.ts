import { MessageTypes, WorkerCredentialCommand } from '@baton/contracts';
import type { CommandRegistry } from '@baton/kafka';
import { CommandHandlers } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { WorkerCredentialsUseCase } from '../kafka-credentials/worker-credentials.usecase';

/** Workspaces' agent-worker Kafka credentials (platform admins, through the gateway). */
@Injectable()
export class WorkerCredentialCommands extends CommandHandlers {
  constructor(private readonly credentials: WorkerCredentialsUseCase) {
    super();
  }

  register(commands: CommandRegistry): void {
    commands
      .handle(MessageTypes.workerCredentialIssue, WorkerCredentialCommand, (command) =>
        this.credentials.issue(command),
      )
      .handle(MessageTypes.workerCredentialRevoke, WorkerCredentialCommand, (command) =>
        this.credentials.revoke(command),
      );
  }
}
