import { Module } from '@nestjs/common';
import { AuditConsumer } from './audit.consumer';
import { AuditRepository } from './audit.repository';
import { ListAuditUseCase } from './list-audit.usecase';

@Module({
  providers: [AuditRepository, ListAuditUseCase, AuditConsumer],
  exports: [ListAuditUseCase],
})
export class AuditModule {}
