import { Module } from '@nestjs/common';
import { AuditConsumer } from './audit.consumer';
import { AuditRepository } from './audit.repository';
import { ListAuditUseCase } from './list-audit.usecase';
import { VerifyAuditUseCase } from './verify-audit.usecase';

@Module({
  providers: [AuditRepository, ListAuditUseCase, VerifyAuditUseCase, AuditConsumer],
  exports: [ListAuditUseCase, VerifyAuditUseCase],
})
export class AuditModule {}
