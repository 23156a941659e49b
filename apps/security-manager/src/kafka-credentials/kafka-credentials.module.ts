import { Module } from '@nestjs/common';
import { WorkspacesModule } from '../workspaces/workspaces.module';
import { WorkerCredentialsUseCase } from './worker-credentials.usecase';

@Module({
  imports: [WorkspacesModule],
  providers: [WorkerCredentialsUseCase],
  exports: [WorkerCredentialsUseCase],
})
export class KafkaCredentialsModule {}
