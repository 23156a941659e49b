import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { AuditModule } from '../audit/audit.module';
import { SecretsModule } from '../secrets/secrets.module';
import { SecurityCommandsConsumer } from './security-commands.consumer';

/** The request/reply entry point; it only routes to the use cases of the features. */
@Module({
  imports: [ApiKeysModule, AuditModule, SecretsModule],
  providers: [SecurityCommandsConsumer],
})
export class SecurityCommandsModule {}
