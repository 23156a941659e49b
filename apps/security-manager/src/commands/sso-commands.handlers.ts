import {
  MessageTypes,
  OidcCallbackCommand,
  OidcLoginQuery,
  PutSamlConfigMessage,
  SamlAcsCommand,
  SamlConfigQuery,
  SamlLoginQuery,
  SamlWorkspaceQuery,
  SessionTokenQuery,
} from '@baton/contracts';
import type { CommandRegistry } from '@baton/kafka';
import { CommandHandlers } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { OidcCallbackUseCase } from '../oidc-sign-in/oidc-callback.usecase';
import { OidcLoginUseCase } from '../oidc-sign-in/oidc-login.usecase';
import { DeleteSamlConfigUseCase } from '../saml/delete-saml-config.usecase';
import { GetSamlConfigUseCase } from '../saml/get-saml-config.usecase';
import { PutSamlConfigUseCase } from '../saml/put-saml-config.usecase';
import { SamlAcsUseCase } from '../saml/saml-acs.usecase';
import { SamlLoginUseCase } from '../saml/saml-login.usecase';
import { SamlMetadataUseCase } from '../saml/saml-metadata.usecase';
import { DeleteSessionUseCase } from '../sessions/delete-session.usecase';
import { VerifySessionUseCase } from '../sessions/verify-session.usecase';

/** Single sign-on (SAML, and OpenID Connect for the console) and its sessions, routed to their use cases. */
@Injectable()
export class SsoCommands extends CommandHandlers {
  constructor(
    private readonly putSamlConfig: PutSamlConfigUseCase,
    private readonly getSamlConfig: GetSamlConfigUseCase,
    private readonly deleteSamlConfig: DeleteSamlConfigUseCase,
    private readonly samlMetadata: SamlMetadataUseCase,
    private readonly samlLogin: SamlLoginUseCase,
    private readonly samlAcs: SamlAcsUseCase,
    private readonly verifySession: VerifySessionUseCase,
    private readonly deleteSession: DeleteSessionUseCase,
    private readonly oidcLogin: OidcLoginUseCase,
    private readonly oidcCallback: OidcCallbackUseCase,
  ) {
    super();
  }

  register(commands: CommandRegistry): void {
    commands
      .handle(MessageTypes.samlConfigPut, PutSamlConfigMessage, (command, envelope) =>
        this.putSamlConfig.execute(command, envelope.workspaceid),
      )
      .handle(MessageTypes.samlConfigGet, SamlConfigQuery, (query, envelope) =>
        this.getSamlConfig.execute(query, envelope.workspaceid),
      )
      .handle(MessageTypes.samlConfigDelete, SamlConfigQuery, (_query, envelope) =>
        this.deleteSamlConfig.execute(envelope.workspaceid),
      )
      .handle(MessageTypes.samlMetadata, SamlWorkspaceQuery, (query) =>
        this.samlMetadata.execute(query),
      )
      .handle(MessageTypes.samlLogin, SamlLoginQuery, (query) => this.samlLogin.execute(query))
      .handle(MessageTypes.samlAcs, SamlAcsCommand, (command) => this.samlAcs.execute(command))
      .handle(MessageTypes.oidcLogin, OidcLoginQuery, (query) => this.oidcLogin.execute(query))
      .handle(MessageTypes.oidcCallback, OidcCallbackCommand, (command) =>
        this.oidcCallback.execute(command),
      )
      .handle(MessageTypes.sessionVerify, SessionTokenQuery, (query) =>
        this.verifySession.execute(query),
      )
      .handle(MessageTypes.sessionDelete, SessionTokenQuery, (query) =>
        this.deleteSession.execute(query),
      );
  }
}
