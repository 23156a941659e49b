import { WebhookSendingEnv } from '@baton/service-kit';

/**
 * Connection credentials are sealed at rest with the keyring
 * (BATON_ENCRYPTION_KEYS, re-sealed to its active key by a job);
 * webhook connections reach only public addresses unless
 * WEBHOOK_ALLOW_PRIVATE_NETWORKS is set.
 */
export class IntegrationEnv extends WebhookSendingEnv {}
