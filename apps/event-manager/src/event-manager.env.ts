import { IntBetween } from '@baton/contracts';
import { WebhookSendingEnv } from '@baton/service-kit';
import { Matches } from 'class-validator';

/**
 * Webhook signing secrets are sealed at rest with the keyring
 * (BATON_ENCRYPTION_KEYS, re-sealed to its active key by a job);
 * webhook subscriptions reach only public addresses unless
 * WEBHOOK_ALLOW_PRIVATE_NETWORKS is set.
 */
export class EventManagerEnv extends WebhookSendingEnv {
  /** How often retention policies are enforced. */
  @IntBetween(100, 86_400_000)
  EVENT_RETENTION_INTERVAL_MS: number = 60_000;

  /** Events deleted per statement: small, so ingest never waits on a long lock. */
  @IntBetween(1, 100_000)
  EVENT_RETENTION_BATCH_SIZE: number = 1_000;

  /** How often alert rules are evaluated (by the one replica holding the evaluator lease). */
  @IntBetween(100, 3_600_000)
  ALERT_EVALUATION_INTERVAL_MS: number = 30_000;

  /**
   * The workspace of the platform's own alert rules (dead letters, consumer lag, services
   * not ready), created at start, and the only one where `scope: { platform: true }` is allowed.
   */
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/, {
    message: 'ALERT_PLATFORM_WORKSPACE must be a workspace id',
  })
  ALERT_PLATFORM_WORKSPACE: string = 'default';

  /** How long log records are kept, unless a workspace has a `baton.logs` retention policy. */
  @IntBetween(60_000, 3_650 * 86_400_000)
  LOG_RETENTION_MS: number = 7 * 86_400_000;
}
