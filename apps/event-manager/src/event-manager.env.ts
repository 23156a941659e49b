import { EncryptedDatabaseEnv } from '@baton/service-kit';
import { IsInt, Max, Min } from 'class-validator';

/** Webhook signing secrets are encrypted at rest with BATON_ENCRYPTION_KEY. */
export class EventManagerEnv extends EncryptedDatabaseEnv {
  /** How often retention policies are enforced. */
  @IsInt()
  @Min(100)
  @Max(86_400_000)
  EVENT_RETENTION_INTERVAL_MS: number = 60_000;

  /** Events deleted per statement: small, so ingest never waits on a long lock. */
  @IsInt()
  @Min(1)
  @Max(100_000)
  EVENT_RETENTION_BATCH_SIZE: number = 1_000;
}
