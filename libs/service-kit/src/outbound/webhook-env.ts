import { Transform } from 'class-transformer';
import { IsBoolean } from 'class-validator';
import { EncryptedDatabaseEnv } from '../crypto/encryption-key';

/** Settings of a service that POSTs to webhook URLs its tenants configure, with their secrets encrypted. */
export class WebhookSendingEnv extends EncryptedDatabaseEnv {
  /**
   * Lets webhooks reach loopback, private and link-local addresses: for local
   * development, or receivers inside the operator's own network. Off by
   * default: a tenant's webhook URL must not probe the network Baton runs in.
   */
  // From the raw text: implicit conversion would read "false" as true.
  @Transform(
    ({ obj, key }) => String((obj as Record<string, unknown>)[key]).toLowerCase() === 'true',
  )
  @IsBoolean()
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: boolean = false;
}
