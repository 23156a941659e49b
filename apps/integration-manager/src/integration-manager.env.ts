import { WebhookSendingEnv } from '@baton/service-kit';

/**
 * Connection credentials are encrypted at rest with BATON_ENCRYPTION_KEY;
 * webhook connections reach only public addresses unless
 * WEBHOOK_ALLOW_PRIVATE_NETWORKS is set.
 */
export class IntegrationEnv extends WebhookSendingEnv {}
