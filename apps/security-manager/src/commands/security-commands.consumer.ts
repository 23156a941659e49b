import {
  ListAuditPageQuery,
  MessageTypes,
  PutSamlConfigMessage,
  SamlAcsCommand,
  SamlConfigQuery,
  SamlLoginQuery,
  SamlWorkspaceQuery,
  SessionTokenQuery,
  VerifyApiKeyQuery,
} from '@baton/contracts';
import { ServiceCommandServer } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { VerifyApiKeyUseCase } from '../api-keys/verify-api-key.usecase';
import { ListAuditUseCase } from '../audit/list-audit.usecase';
import { DeleteSamlConfigUseCase } from '../saml/delete-saml-config.usecase';
import { GetSamlConfigUseCase } from '../saml/get-saml-config.usecase';
import { PutSamlConfigUseCase } from '../saml/put-saml-config.usecase';
import { SamlAcsUseCase } from '../saml/saml-acs.usecase';
import { SamlLoginUseCase } from '../saml/saml-login.usecase';
import { SamlMetadataUseCase } from '../saml/saml-metadata.usecase';
import { DeleteSessionUseCase } from '../sessions/delete-session.usecase';
import { VerifySessionUseCase } from '../sessions/verify-session.usecase';

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

/** The Kafka transport of security-manager: key verification and audit queries from the gateway. */
@Injectable()
export class SecurityCommandsConsumer {
  constructor(
    commands: ServiceCommandServer,
    verifyApiKey: VerifyApiKeyUseCase,
    listAudit: ListAuditUseCase,
    sso: SsoUseCases,
  ) {
    commands
      .handle(MessageTypes.apiKeyVerify, VerifyApiKeyQuery, (query) => verifyApiKey.execute(query))
      .handle(MessageTypes.auditList, ListAuditPageQuery, (query, envelope) =>
        listAudit.execute(query, envelope.workspaceid),
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
  }
}
