import { Module } from '@nestjs/common';
import { SigningKeysModule } from '../signing-keys/signing-keys.module';
import { WorkspacesModule } from '../workspaces/workspaces.module';
import { CreateOAuthClientUseCase } from './create-oauth-client.usecase';
import { DeleteOAuthClientUseCase } from './delete-oauth-client.usecase';
import { IssueTokenUseCase } from './issue-token.usecase';
import { ListOAuthClientsUseCase } from './list-oauth-clients.usecase';
import { OAuthClientsRepository } from './oauth-clients.repository';

@Module({
  imports: [SigningKeysModule, WorkspacesModule],
  providers: [
    OAuthClientsRepository,
    CreateOAuthClientUseCase,
    ListOAuthClientsUseCase,
    DeleteOAuthClientUseCase,
    IssueTokenUseCase,
  ],
  exports: [
    OAuthClientsRepository,
    CreateOAuthClientUseCase,
    ListOAuthClientsUseCase,
    DeleteOAuthClientUseCase,
    IssueTokenUseCase,
  ],
})
export class OAuthModule {}
