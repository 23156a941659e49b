import { Module } from '@nestjs/common';
import { SigningKeysModule } from '../signing-keys/signing-keys.module';
import { CreateOAuthClientUseCase } from './create-oauth-client.usecase';
import { DeleteOAuthClientUseCase } from './delete-oauth-client.usecase';
import { IssueTokenUseCase } from './issue-token.usecase';
import { ListOAuthClientsUseCase } from './list-oauth-clients.usecase';
import { OAuthClientsRepository } from './oauth-clients.repository';

@Module({
  imports: [SigningKeysModule],
  providers: [
    OAuthClientsRepository,
    CreateOAuthClientUseCase,
    ListOAuthClientsUseCase,
    DeleteOAuthClientUseCase,
    IssueTokenUseCase,
  ],
  exports: [
    CreateOAuthClientUseCase,
    ListOAuthClientsUseCase,
    DeleteOAuthClientUseCase,
    IssueTokenUseCase,
  ],
})
export class OAuthModule {}
