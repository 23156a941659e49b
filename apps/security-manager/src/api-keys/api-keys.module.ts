import { Module } from '@nestjs/common';
import { WorkspacesModule } from '../workspaces/workspaces.module';
import { ApiKeysRepository } from './api-keys.repository';
import { BootstrapDefaultsUseCase } from './bootstrap-defaults.usecase';
import { VerifyApiKeyUseCase } from './verify-api-key.usecase';

@Module({
  imports: [WorkspacesModule],
  providers: [ApiKeysRepository, VerifyApiKeyUseCase, BootstrapDefaultsUseCase],
  exports: [VerifyApiKeyUseCase],
})
export class ApiKeysModule {}
