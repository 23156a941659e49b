import { Module } from '@nestjs/common';
import { WorkspacesModule } from '../workspaces/workspaces.module';
import { ApiKeysRepository } from './api-keys.repository';
import { BootstrapDefaultsUseCase } from './bootstrap-defaults.usecase';
import { CreateApiKeyUseCase } from './create-api-key.usecase';
import { ListApiKeysUseCase } from './list-api-keys.usecase';
import { RevokeApiKeyUseCase } from './revoke-api-key.usecase';
import { RotateApiKeyUseCase } from './rotate-api-key.usecase';
import { VerifyApiKeyUseCase } from './verify-api-key.usecase';

@Module({
  imports: [WorkspacesModule],
  providers: [
    ApiKeysRepository,
    VerifyApiKeyUseCase,
    BootstrapDefaultsUseCase,
    CreateApiKeyUseCase,
    ListApiKeysUseCase,
    RevokeApiKeyUseCase,
    RotateApiKeyUseCase,
  ],
  exports: [
    ApiKeysRepository,
    VerifyApiKeyUseCase,
    CreateApiKeyUseCase,
    ListApiKeysUseCase,
    RevokeApiKeyUseCase,
    RotateApiKeyUseCase,
  ],
})
export class ApiKeysModule {}
