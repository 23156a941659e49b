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

/**
 * A workspace's agent-worker Kafka credential, for platform admins: the SCRAM
 * user its workers connect as, allowed only that workspace's task topics,
 * results, heartbeats and ingress (ADR 0030). security-manager makes it.
 */
@ApiTags('security')
@ApiBearerAuth()
@Controller('v1/workspaces')
export class WorkerCredentialsController {
  constructor(private readonly platform: PlatformClient) {}

  /**
   * Issues the credential, or rotates it (a new password; the old one stops
   * authenticating). The password is in this answer only.
   */
  @Post(':id/worker-credentials')
  async issue(
    @Param('id') id: string,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<IssuedWorkerCredentialView> {
    const command = validateInto(WorkerCredentialCommand, { workspace_id: id }, 'path');
    const issued = await this.platform.send<IssuedWorkerCredentialView>(
      Topics.securityCommands,
      MessageTypes.workerCredentialIssue,
      command,
      caller,
      command.workspace_id,
    );
    response.status(201).setHeader('cache-control', 'no-store');
    return issued;
  }

  /** Deletes the credential: no worker of the workspace can log in to Kafka any more. */
  @Delete(':id/worker-credentials')
  @HttpCode(204)
  async revoke(@Param('id') id: string, @CurrentCaller() caller: Caller): Promise<void> {
    const command = validateInto(WorkerCredentialCommand, { workspace_id: id }, 'path');
    await this.platform.send<{ revoked: boolean }>(
      Topics.securityCommands,
      MessageTypes.workerCredentialRevoke,
      command,
      caller,
      command.workspace_id,
    );
  }
}
