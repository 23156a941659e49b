import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { AuditModule } from '../audit/audit.module';
import { IdentityProvidersModule } from '../identity-providers/identity-providers.module';
import { OAuthModule } from '../oauth/oauth.module';
import { SigningKeysModule } from '../signing-keys/signing-keys.module';
import { SecurityCommandsConsumer } from './security-commands.consumer';

/** The request/reply entry point; it only routes to the use cases of the features. */
@Module({
  imports: [ApiKeysModule, AuditModule, SigningKeysModule, OAuthModule, IdentityProvidersModule],
  providers: [SecurityCommandsConsumer],
})
export class SecurityCommandsModule {}
