import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module';
import { CreateIdentityProviderUseCase } from './create-identity-provider.usecase';
import { DeleteIdentityProviderUseCase } from './delete-identity-provider.usecase';
import { IdentityProvidersRepository } from './identity-providers.repository';
import { ListIdentityProvidersUseCase } from './list-identity-providers.usecase';
import { ProviderHttp } from './provider-http';
import { ProviderKeysUseCase } from './provider-keys.usecase';

@Module({
  imports: [SessionsModule],
  providers: [
    IdentityProvidersRepository,
    ProviderHttp,
    CreateIdentityProviderUseCase,
    ListIdentityProvidersUseCase,
    DeleteIdentityProviderUseCase,
    ProviderKeysUseCase,
  ],
  exports: [
    CreateIdentityProviderUseCase,
    ListIdentityProvidersUseCase,
    DeleteIdentityProviderUseCase,
    ProviderKeysUseCase,
    IdentityProvidersRepository,
    ProviderHttp,
  ],
})
export class IdentityProvidersModule {}
