import { Module } from '@nestjs/common';
import { OAuthModule } from '../oauth/oauth.module';
import { SigningKeysModule } from '../signing-keys/signing-keys.module';
import { WorkspacesModule } from '../workspaces/workspaces.module';
import { GetRevocationsUseCase } from './get-revocations.usecase';

@Module({
  imports: [WorkspacesModule, OAuthModule, SigningKeysModule],
  providers: [GetRevocationsUseCase],
  exports: [GetRevocationsUseCase],
})
export class RevocationsModule {}
