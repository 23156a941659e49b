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
import { ServiceCommandServer } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { CreateApiKeyUseCase } from '../api-keys/create-api-key.usecase';
import { ListApiKeysUseCase } from '../api-keys/list-api-keys.usecase';
import { RevokeApiKeyUseCase } from '../api-keys/revoke-api-key.usecase';
import { RotateApiKeyUseCase } from '../api-keys/rotate-api-key.usecase';
import { VerifyApiKeyUseCase } from '../api-keys/verify-api-key.usecase';
import { ListAuditUseCase } from '../audit/list-audit.usecase';
import { VerifyAuditUseCase } from '../audit/verify-audit.usecase';
import { DeleteWorkspaceUseCase } from '../workspaces/delete-workspace.usecase';
import { ManageWorkspacesUseCase } from '../workspaces/manage-workspaces.usecase';

/**
 * Key verification, keys, workspaces and the audit trail, routed to their use
 * cases. The workspace is always the envelope's, which the gateway stamps from
 * the caller's credential, never one named in a body.
 */
@Injectable()
export class AccessCommands {
  constructor(
    commands: ServiceCommandServer,
    verifyApiKey: VerifyApiKeyUseCase,
    createKey: CreateApiKeyUseCase,
    listKeys: ListApiKeysUseCase,
    revokeKey: RevokeApiKeyUseCase,
    rotateKey: RotateApiKeyUseCase,
    workspaces: ManageWorkspacesUseCase,
    deleteWorkspace: DeleteWorkspaceUseCase,
    listAudit: ListAuditUseCase,
    verifyAudit: VerifyAuditUseCase,
  ) {
    commands
      .handle(MessageTypes.apiKeyVerify, VerifyApiKeyQuery, (query) => verifyApiKey.execute(query))
      .handle(MessageTypes.apiKeyCreate, CreateApiKeyCommand, (command, envelope) =>
        createKey.execute(command, envelope.workspaceid, envelope.correlationid),
      )
      .handle(MessageTypes.apiKeyList, ListApiKeysQuery, (query, envelope) =>
        listKeys.execute(query, envelope.workspaceid),
      )
      .handle(MessageTypes.apiKeyRevoke, ApiKeyIdCommand, (command, envelope) =>
        revokeKey.execute(command, envelope.workspaceid, envelope.correlationid),
      )
      .handle(MessageTypes.apiKeyRotate, RotateApiKeyCommand, (command, envelope) =>
        rotateKey.execute(command, envelope.workspaceid, envelope.correlationid),
      )
      .handle(MessageTypes.workspaceCreate, CreateWorkspaceCommand, (command, envelope) =>
        workspaces.create(command, envelope.workspaceid, envelope.correlationid),
      )
      .handle(MessageTypes.workspaceList, ListWorkspacesQuery, (query) => workspaces.list(query))
      .handle(MessageTypes.workspaceGet, WorkspaceIdCommand, (query) => workspaces.get(query))
      .handle(MessageTypes.workspaceUpdate, UpdateWorkspaceCommand, (command, envelope) =>
        workspaces.update(command, envelope.workspaceid, envelope.correlationid),
      )
      .handle(MessageTypes.workspaceDelete, WorkspaceIdCommand, (command, envelope) =>
        deleteWorkspace.delete(command, envelope.workspaceid, envelope.correlationid),
      )
      .handle(MessageTypes.workspacePurge, WorkspaceIdCommand, (command, envelope) =>
        deleteWorkspace.purge(command, envelope.workspaceid, envelope.correlationid),
      )
      .handle(MessageTypes.auditList, ListAuditPageQuery, (query, envelope) =>
        listAudit.execute(query, envelope.workspaceid),
      )
      .handle(MessageTypes.auditVerify, VerifyAuditQuery, (query, envelope) =>
        verifyAudit.execute(envelope.workspaceid, query.up_to_seq),
      );
  }
}
