import {
  ApiKeyIdCommand,
  CreateApiKeyCommand,
  CreateWorkspaceCommand,
  ListApiKeysQuery,
  ListAuditPageQuery,
  ListWorkspacesQuery,
  MessageTypes,
  RotateApiKeyCommand,
  UpdateWorkspaceCommand,
  VerifyApiKeyQuery,
  VerifyAuditQuery,
  WorkspaceIdCommand,
} from '@baton/contracts';
import type { CommandRegistry } from '@baton/kafka';
import { CommandHandlers } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { CreateApiKeyUseCase } from '../api-keys/create-api-key.usecase';
import { ListApiKeysUseCase } from '../api-keys/list-api-keys.usecase';
import { RevokeApiKeyUseCase } from '../api-keys/revoke-api-key.usecase';
import { RotateApiKeyUseCase } from '../api-keys/rotate-api-key.usecase';
import { VerifyApiKeyUseCase } from '../api-keys/verify-api-key.usecase';
import { ListAuditUseCase } from '../audit/list-audit.usecase';
import { VerifyAuditUseCase } from '../audit/verify-audit.usecase';
import { DeleteWorkspaceUseCase } from '../workspace-lifecycle/delete-workspace.usecase';
import { ManageWorkspacesUseCase } from '../workspace-lifecycle/manage-workspaces.usecase';

/**
 * Key verification, keys, workspaces and the audit trail, routed to their use
 * cases. The workspace is always the envelope's, which the gateway stamps from
 * the caller's credential, never one named in a body.
 */
@Injectable()
export class AccessCommands extends CommandHandlers {
  constructor(
    private readonly verifyApiKey: VerifyApiKeyUseCase,
    private readonly createKey: CreateApiKeyUseCase,
    private readonly listKeys: ListApiKeysUseCase,
    private readonly revokeKey: RevokeApiKeyUseCase,
    private readonly rotateKey: RotateApiKeyUseCase,
    private readonly workspaces: ManageWorkspacesUseCase,
    private readonly deleteWorkspace: DeleteWorkspaceUseCase,
    private readonly listAudit: ListAuditUseCase,
    private readonly verifyAudit: VerifyAuditUseCase,
  ) {
    super();
  }

  register(commands: CommandRegistry): void {
    commands
      .handle(MessageTypes.apiKeyVerify, VerifyApiKeyQuery, (query) =>
        this.verifyApiKey.execute(query),
      )
      .handle(MessageTypes.apiKeyCreate, CreateApiKeyCommand, (command, envelope) =>
        this.createKey.execute(command, envelope.workspaceid, envelope.correlationid),
      )
      .handle(MessageTypes.apiKeyList, ListApiKeysQuery, (query, envelope) =>
        this.listKeys.execute(query, envelope.workspaceid),
      )
      .handle(MessageTypes.apiKeyRevoke, ApiKeyIdCommand, (command, envelope) =>
        this.revokeKey.execute(command, envelope.workspaceid, envelope.correlationid),
      )
      .handle(MessageTypes.apiKeyRotate, RotateApiKeyCommand, (command, envelope) =>
        this.rotateKey.execute(command, envelope.workspaceid, envelope.correlationid),
      )
      .handle(MessageTypes.workspaceCreate, CreateWorkspaceCommand, (command, envelope) =>
        this.workspaces.create(command, envelope.workspaceid, envelope.correlationid),
      )
      .handle(MessageTypes.workspaceList, ListWorkspacesQuery, (query) =>
        this.workspaces.list(query),
      )
      .handle(MessageTypes.workspaceGet, WorkspaceIdCommand, (query) => this.workspaces.get(query))
      .handle(MessageTypes.workspaceUpdate, UpdateWorkspaceCommand, (command, envelope) =>
        this.workspaces.update(command, envelope.workspaceid, envelope.correlationid),
      )
      .handle(MessageTypes.workspaceDelete, WorkspaceIdCommand, (command, envelope) =>
        this.deleteWorkspace.delete({
          command,
          actorWorkspace: envelope.workspaceid,
          correlationId: envelope.correlationid,
        }),
      )
      .handle(MessageTypes.workspacePurge, WorkspaceIdCommand, (command, envelope) =>
        this.deleteWorkspace.purge({
          command,
          actorWorkspace: envelope.workspaceid,
          correlationId: envelope.correlationid,
        }),
      )
      .handle(MessageTypes.auditList, ListAuditPageQuery, (query, envelope) =>
        this.listAudit.execute(query, envelope.workspaceid),
      )
      .handle(MessageTypes.auditVerify, VerifyAuditQuery, (query, envelope) =>
        this.verifyAudit.execute(envelope.workspaceid, query.up_to_seq),
      );
  }
}
