import { Module } from '@nestjs/common';
import { ConnectionsModule } from '../connections/connections.module';
import { HookSignaturesRepository } from './hook-signatures.repository';
import { ReceiveHookUseCase } from './receive-hook.usecase';

/** Inbound hooks: signed calls from outside systems, verified and turned into events. */
@Module({
  imports: [ConnectionsModule],
  providers: [HookSignaturesRepository, ReceiveHookUseCase],
  exports: [ReceiveHookUseCase],
})
export class HooksModule {}
