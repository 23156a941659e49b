import {
  MessageTypes,
  PutSamlConfigMessage,
  SamlAcsCommand,
  SamlConfigQuery,
  SamlLoginQuery,
  SamlWorkspaceQuery,
  SessionTokenQuery,
} from '@baton/contracts';
import { ServiceCommandServer } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { DeleteSamlConfigUseCase } from '../saml/delete-saml-config.usecase';
import { GetSamlConfigUseCase } from '../saml/get-saml-config.usecase';
import { PutSamlConfigUseCase } from '../saml/put-saml-config.usecase';
import { SamlAcsUseCase } from '../saml/saml-acs.usecase';
import { SamlLoginUseCase } from '../saml/saml-login.usecase';
import { SamlMetadataUseCase } from '../saml/saml-metadata.usecase';
import { DeleteSessionUseCase } from '../sessions/delete-session.usecase';
import { VerifySessionUseCase } from '../sessions/verify-session.usecase';

/** SAML single sign-on and the sessions it opens, routed to their use cases. */
@Injectable()
export class SsoCommands {
  constructor(
    commands: ServiceCommandServer,
    putSamlConfig: PutSamlConfigUseCase,
    getSamlConfig: GetSamlConfigUseCase,
    deleteSamlConfig: DeleteSamlConfigUseCase,
    samlMetadata: SamlMetadataUseCase,
    samlLogin: SamlLoginUseCase,
    samlAcs: SamlAcsUseCase,
    verifySession: VerifySessionUseCase,
    deleteSession: DeleteSessionUseCase,
  ) {
    commands
      .handle(MessageTypes.samlConfigPut, PutSamlConfigMessage, (command, envelope) =>
        putSamlConfig.execute(command, envelope.workspaceid),
      )
      .handle(MessageTypes.samlConfigGet, SamlConfigQuery, (query, envelope) =>
        getSamlConfig.execute(query, envelope.workspaceid),
      )
      .handle(MessageTypes.samlConfigDelete, SamlConfigQuery, (_query, envelope) =>
        deleteSamlConfig.execute(envelope.workspaceid),
      )
      .handle(MessageTypes.samlMetadata, SamlWorkspaceQuery, (query) => samlMetadata.execute(query))
      .handle(MessageTypes.samlLogin, SamlLoginQuery, (query) => samlLogin.execute(query))
      .handle(MessageTypes.samlAcs, SamlAcsCommand, (command) => samlAcs.execute(command))
      .handle(MessageTypes.sessionVerify, SessionTokenQuery, (query) =>
        verifySession.execute(query),
      )
      .handle(MessageTypes.sessionDelete, SessionTokenQuery, (query) =>
        deleteSession.execute(query),
      );
  }
}
