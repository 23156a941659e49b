import { SecretBox, sealedColumn, type SealedColumn } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';

/** What a sealed secret starts with; anything else is a secret stored before sealing. */
const SEALED = 'sealed:';

/**
 * Webhook signing secrets of subscriptions and routes, encrypted at rest with
 * the keyring (BATON_ENCRYPTION_KEYS, AES-256-GCM). The owner's id is bound to the
 * ciphertext, so a secret copied onto another row does not open. Secrets
 * stored in plain text by an earlier version are still read as they are.
 */
@Injectable()
export class SigningSecrets {
  constructor(private readonly box: SecretBox) {}

  seal(secret: string, owner: string): string {
    return `${SEALED}${this.box.seal(secret, owner)}`;
  }

  open(stored: string, owner: string): string {
    return stored.startsWith(SEALED)
      ? String(this.box.open(stored.slice(SEALED.length), owner))
      : stored;
  }
}

export const subscriptionOwner = (id: string): string => `subscription:${id}`;
export const routeOwner = (workspaceId: string, name: string): string =>
  `route:${workspaceId}/${name}`;
/** A notification channel's secrets (SMTP password, Slack URL, signing secret, routing key) as JSON. */
export const channelOwner = (workspaceId: string, name: string): string =>
  `notification-channel:${workspaceId}/${name}`;

/** The sealed secrets event-manager owns, for the re-seal job after a key rotation. */
export const SEALED_SIGNING_SECRETS: SealedColumn[] = [
  sealedColumn('subscriptions', 'secret', ['id'], (row) => subscriptionOwner(row.id), SEALED),
  sealedColumn(
    'routes',
    'secret',
    ['workspace_id', 'name'],
    (row) => routeOwner(row.workspace_id, row.name),
    SEALED,
  ),
  sealedColumn(
    'notification_channels',
    'secrets',
    ['workspace_id', 'name'],
    (row) => channelOwner(row.workspace_id, row.name),
    SEALED,
  ),
];
