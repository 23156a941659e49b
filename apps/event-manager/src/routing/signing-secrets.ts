import { SecretBox } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';

/** What a sealed secret starts with; anything else is a secret stored before sealing. */
const SEALED = 'sealed:';

/**
 * Webhook signing secrets of subscriptions and routes, encrypted at rest with
 * BATON_ENCRYPTION_KEY (AES-256-GCM). The owner's id is bound to the
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
