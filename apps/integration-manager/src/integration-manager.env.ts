import { WebhookSendingEnv } from '@baton/service-kit';
import { IsString, Matches } from 'class-validator';

/**
 * Connection credentials are sealed at rest with the keyring
 * (BATON_ENCRYPTION_KEYS, re-sealed to its active key by a job);
 * webhook connections reach only public addresses unless
 * WEBHOOK_ALLOW_PRIVATE_NETWORKS is set; every connector (http, postgres,
 * mysql, webhook) may reach the internal networks the operator lists in
 * CONNECTOR_ALLOWED_NETWORKS, and never link-local (cloud metadata).
 */
export class IntegrationEnv extends WebhookSendingEnv {
  /** Comma-separated addresses or CIDRs, e.g. `10.20.0.0/16,127.0.0.1`. Empty: none. */
  @IsString()
  @Matches(/^[\s0-9A-Fa-f.:/,]*$/, {
    message: 'CONNECTOR_ALLOWED_NETWORKS must be comma-separated addresses or CIDRs',
  })
  CONNECTOR_ALLOWED_NETWORKS: string = '';
}
