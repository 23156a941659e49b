import { Module } from '@nestjs/common';
import { CreateIdentityProviderUseCase } from './create-identity-provider.usecase';
import { DeleteIdentityProviderUseCase } from './delete-identity-provider.usecase';
import { IdentityProvidersRepository } from './identity-providers.repository';
import { ListIdentityProvidersUseCase } from './list-identity-providers.usecase';
import { ProviderHttp } from './provider-http';
import { ProviderKeysUseCase } from './provider-keys.usecase';

@Module({
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
  ],
})
export class IdentityProvidersModule {}
