import { Module } from '@nestjs/common';
import { IdentityProvidersModule } from '../identity-providers/identity-providers.module';
import { SessionsModule } from '../sessions/sessions.module';
import { OidcCallbackUseCase } from './oidc-callback.usecase';
import { OidcLoginUseCase } from './oidc-login.usecase';
import { OidcLoginsRepository } from './oidc-logins.repository';

/** Console sign-in through a workspace's OpenID provider, the gateway as its confidential client. */
@Module({
  imports: [IdentityProvidersModule, SessionsModule],
  providers: [OidcLoginsRepository, OidcLoginUseCase, OidcCallbackUseCase],
  exports: [OidcLoginUseCase, OidcCallbackUseCase],
})
export class OidcSignInModule {}
