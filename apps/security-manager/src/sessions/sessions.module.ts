import { Module } from '@nestjs/common';
import { DeleteSessionUseCase } from './delete-session.usecase';
import { SessionsRepository } from './sessions.repository';
import { VerifySessionUseCase } from './verify-session.usecase';

@Module({
  providers: [SessionsRepository, VerifySessionUseCase, DeleteSessionUseCase],
  exports: [SessionsRepository, VerifySessionUseCase, DeleteSessionUseCase],
})
export class SessionsModule {}
