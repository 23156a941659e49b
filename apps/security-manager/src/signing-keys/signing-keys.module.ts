import { Module } from '@nestjs/common';
import { EnsureSigningKeyUseCase } from './ensure-signing-key.usecase';
import { GetJwksUseCase } from './get-jwks.usecase';
import { RotateSigningKeyUseCase } from './rotate-signing-key.usecase';
import { SigningKeysRepository } from './signing-keys.repository';
import { TokenSettings } from './token-settings';
import { TokenSigner } from './token-signer';

@Module({
  providers: [
    SigningKeysRepository,
    TokenSettings,
    TokenSigner,
    EnsureSigningKeyUseCase,
    GetJwksUseCase,
    RotateSigningKeyUseCase,
  ],
  exports: [TokenSigner, TokenSettings, GetJwksUseCase, RotateSigningKeyUseCase],
})
export class SigningKeysModule {}
