import {
  MessageTypes,
  Topics,
  validateInto,
  WorkerCredentialCommand,
  type IssuedWorkerCredentialView,
} from '@baton/contracts';
import { Controller, Delete, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentCaller, type Caller } from '../auth/caller';
import { PlatformClient } from '../platform/platform-client';
import { TopicCommands } from '../platform/topic-commands';

/**
 * A workspace's agent-worker Kafka credential, for platform admins: the SCRAM
 * user its workers connect as, allowed only that workspace's task topics,
 * results, heartbeats and ingress (ADR 0030). security-manager makes it.
 */
@ApiTags('security')
@ApiBearerAuth()
@Controller('v1/workspaces')
export class WorkerCredentialsController {
  private readonly security: TopicCommands;

  constructor(platform: PlatformClient) {
    this.security = new TopicCommands(platform, Topics.securityCommands);
  }

  /**
   * Issues the credential, or rotates it (a new password; the old one stops
   * authenticating). The password is in this answer only.
   */
  @Post(':id/worker-credentials')
  issue(
    @Param('id') id: string,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<IssuedWorkerCredentialView> {
    const command = validateInto(WorkerCredentialCommand, { workspace_id: id }, 'path');
    return this.security.created<IssuedWorkerCredentialView>(
      MessageTypes.workerCredentialIssue,
      command,
      caller,
      response,
      { key: command.workspace_id, secret: true },
    );
  }

  /** Deletes the credential: no worker of the workspace can log in to Kafka any more. */
  @Delete(':id/worker-credentials')
  @HttpCode(204)
  async revoke(@Param('id') id: string, @CurrentCaller() caller: Caller): Promise<void> {
    await this.security.at(
      MessageTypes.workerCredentialRevoke,
      WorkerCredentialCommand,
      { workspace_id: id },
      caller,
    );
  }
}
