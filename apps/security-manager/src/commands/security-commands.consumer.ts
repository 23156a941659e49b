import {
  ApiKeyIdCommand,
  CreateApiKeyCommand,
  CreateWorkspaceCommand,
  ListApiKeysQuery,
  ListAuditPageQuery,
  ListWorkspacesQuery,
  MessageTypes,
  PutSamlConfigMessage,
  RotateApiKeyCommand,
  SamlAcsCommand,
  SamlConfigQuery,
  SamlLoginQuery,
  SamlWorkspaceQuery,
  SessionTokenQuery,
  SetWorkspaceLimitsCommand,
  UpdateWorkspaceCommand,
  VerifyApiKeyQuery,
  VerifyAuditQuery,
  WorkspaceIdCommand,
  WorkspaceLimitsQuery,
} from '@baton/contracts';
import { ServiceCommandServer } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { CreateApiKeyUseCase } from '../api-keys/create-api-key.usecase';
import { ListApiKeysUseCase } from '../api-keys/list-api-keys.usecase';
import { RevokeApiKeyUseCase } from '../api-keys/revoke-api-key.usecase';
import { RotateApiKeyUseCase } from '../api-keys/rotate-api-key.usecase';
import { VerifyApiKeyUseCase } from '../api-keys/verify-api-key.usecase';
import { ListAuditUseCase } from '../audit/list-audit.usecase';
import { DeleteWorkspaceUseCase } from '../workspaces/delete-workspace.usecase';
import { ManageWorkspacesUseCase } from '../workspaces/manage-workspaces.usecase';
import { DeleteSamlConfigUseCase } from '../saml/delete-saml-config.usecase';
import { GetSamlConfigUseCase } from '../saml/get-saml-config.usecase';
import { PutSamlConfigUseCase } from '../saml/put-saml-config.usecase';
import { SamlAcsUseCase } from '../saml/saml-acs.usecase';
import { SamlLoginUseCase } from '../saml/saml-login.usecase';
import { SamlMetadataUseCase } from '../saml/saml-metadata.usecase';
import { DeleteSessionUseCase } from '../sessions/delete-session.usecase';
import { VerifySessionUseCase } from '../sessions/verify-session.usecase';
import { WorkspaceLimitsUseCase } from '../limits/workspace-limits.usecase';
import { VerifyAuditUseCase } from '../audit/verify-audit.usecase';
import { CreateIdentityProviderUseCase } from '../identity-providers/create-identity-provider.usecase';
import { DeleteIdentityProviderUseCase } from '../identity-providers/delete-identity-provider.usecase';
import { ListIdentityProvidersUseCase } from '../identity-providers/list-identity-providers.usecase';
import { ProviderKeysUseCase } from '../identity-providers/provider-keys.usecase';
import { CreateOAuthClientUseCase } from '../oauth/create-oauth-client.usecase';
import { DeleteOAuthClientUseCase } from '../oauth/delete-oauth-client.usecase';
import { IssueTokenUseCase } from '../oauth/issue-token.usecase';
import { ListOAuthClientsUseCase } from '../oauth/list-oauth-clients.usecase';
import { GetJwksUseCase } from '../signing-keys/get-jwks.usecase';
import { RotateSigningKeyUseCase } from '../signing-keys/rotate-signing-key.usecase';
import { handleTokenCommands } from './token-commands';

/** SAML and session use cases, grouped so the constructor below stays readable. */
@Injectable()
export class SsoUseCases {
  constructor(
    readonly putSamlConfig: PutSamlConfigUseCase,
    readonly getSamlConfig: GetSamlConfigUseCase,
    readonly deleteSamlConfig: DeleteSamlConfigUseCase,
    readonly samlMetadata: SamlMetadataUseCase,
    readonly samlLogin: SamlLoginUseCase,
    readonly samlAcs: SamlAcsUseCase,
    readonly verifySession: VerifySessionUseCase,
    readonly deleteSession: DeleteSessionUseCase,
  ) {}
}

/**
 * The Kafka transport of security-manager: key verification, workspaces, keys
 * and audit queries from the gateway. The workspace is the envelope's, which
 * the gateway stamps from the caller's credential.
 */
@Injectable()
export class SecurityCommandsConsumer {
  constructor(
    commands: ServiceCommandServer,
    verifyApiKey: VerifyApiKeyUseCase,
    listAudit: ListAuditUseCase,
    createKey: CreateApiKeyUseCase,
    listKeys: ListApiKeysUseCase,
    revokeKey: RevokeApiKeyUseCase,
    rotateKey: RotateApiKeyUseCase,
    workspaces: ManageWorkspacesUseCase,
    deleteWorkspace: DeleteWorkspaceUseCase,
    sso: SsoUseCases,
    limits: WorkspaceLimitsUseCase,
    verifyAudit: VerifyAuditUseCase,
    createClient: CreateOAuthClientUseCase,
    listClients: ListOAuthClientsUseCase,
    deleteClient: DeleteOAuthClientUseCase,
    issueToken: IssueTokenUseCase,
    jwks: GetJwksUseCase,
    rotateSigningKey: RotateSigningKeyUseCase,
    createProvider: CreateIdentityProviderUseCase,
    listProviders: ListIdentityProvidersUseCase,
    deleteProvider: DeleteIdentityProviderUseCase,
    providerKeys: ProviderKeysUseCase,
  ) {
    handleTokenCommands(commands, {
      createClient,
      listClients,
      deleteClient,
      issueToken,
      jwks,
      rotateKey: rotateSigningKey,
      createProvider,
      listProviders,
      deleteProvider,
      providerKeys,
    });
    commands
      .handle(MessageTypes.apiKeyVerify, VerifyApiKeyQuery, (query) => verifyApiKey.execute(query))
      .handle(MessageTypes.auditList, ListAuditPageQuery, (query, envelope) =>
        listAudit.execute(query, envelope.workspaceid),
      )
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
      .handle(MessageTypes.auditVerify, VerifyAuditQuery, (query, envelope) =>
        verifyAudit.execute(envelope.workspaceid, query.up_to_seq),
      );
    commands
      .handle(MessageTypes.samlConfigPut, PutSamlConfigMessage, (command, envelope) =>
        sso.putSamlConfig.execute(command, envelope.workspaceid),
      )
      .handle(MessageTypes.samlConfigGet, SamlConfigQuery, (query, envelope) =>
        sso.getSamlConfig.execute(query, envelope.workspaceid),
      )
      .handle(MessageTypes.samlConfigDelete, SamlConfigQuery, (_query, envelope) =>
        sso.deleteSamlConfig.execute(envelope.workspaceid),
      )
      .handle(MessageTypes.samlMetadata, SamlWorkspaceQuery, (query) =>
        sso.samlMetadata.execute(query),
      )
      .handle(MessageTypes.samlLogin, SamlLoginQuery, (query) => sso.samlLogin.execute(query))
      .handle(MessageTypes.samlAcs, SamlAcsCommand, (command) => sso.samlAcs.execute(command))
      .handle(MessageTypes.sessionVerify, SessionTokenQuery, (query) =>
        sso.verifySession.execute(query),
      )
      .handle(MessageTypes.sessionDelete, SessionTokenQuery, (query) =>
        sso.deleteSession.execute(query),
      );
    commands
      .handle(MessageTypes.limitsGet, WorkspaceLimitsQuery, (query) => limits.get(query))
      .handle(MessageTypes.limitsSet, SetWorkspaceLimitsCommand, (command) => limits.set(command))
      .handle(MessageTypes.limitsReset, WorkspaceLimitsQuery, (query) => limits.reset(query));
  }
}
