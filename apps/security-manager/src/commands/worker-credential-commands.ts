import { MessageTypes, WorkerCredentialCommand } from '@baton/contracts';
import { ServiceCommandServer } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { WorkerCredentialsUseCase } from '../kafka-credentials/worker-credentials.usecase';

/** Workspaces' agent-worker Kafka credentials (platform admins, through the gateway). */
@Injectable()
export class WorkerCredentialCommands {
  constructor(commands: ServiceCommandServer, credentials: WorkerCredentialsUseCase) {
    commands
      .handle(MessageTypes.workerCredentialIssue, WorkerCredentialCommand, (command) =>
        credentials.issue(command),
      )
      .handle(MessageTypes.workerCredentialRevoke, WorkerCredentialCommand, (command) =>
        credentials.revoke(command),
      );
  }
}
