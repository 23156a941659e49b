import { DatabaseEnv } from '@baton/service-kit';
import { IsOptional, Matches } from 'class-validator';

export class IntegrationEnv extends DatabaseEnv {
  /** Encrypts connection secrets at rest; required when NODE_ENV=production. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9+/]{43}=$/, {
    message: 'BATON_ENCRYPTION_KEY must be the base64 of 32 bytes (e.g. `openssl rand -base64 32`)',
  })
  BATON_ENCRYPTION_KEY?: string;
}
