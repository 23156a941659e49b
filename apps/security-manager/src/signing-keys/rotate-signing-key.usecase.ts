import type { RotatedSigningKeyView } from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import { SecretBox } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { auditCommand } from '../audit/audit-in-transaction';
import { generateSigningKey } from './signing-key-material';
import { SigningKeysRepository } from './signing-keys.repository';
import { TokenSettings } from './token-settings';

/**
 * A new key signs from now on; the old one stays in the JWKS for one token
 * lifetime, so every token it signed stays valid until it expires.
 */
@Injectable()
export class RotateSigningKeyUseCase {
  constructor(
    private readonly keys: SigningKeysRepository,
    private readonly box: SecretBox,
    private readonly settings: TokenSettings,
    private readonly uow: UnitOfWork,
  ) {}

  async execute(): Promise<RotatedSigningKeyView> {
    const next = await generateSigningKey(this.box);
    const retired = await this.uow.run(async (tx) => {
      const keys = await this.keys.rotate(next, this.settings.ttlSeconds, tx.manager);
      await auditCommand(tx.manager, {
        action: 'signing-key.rotate',
        resource: `signing-keys/${next.kid}`,
        details: { retired: keys.map((key) => key.kid) },
      });
      return keys;
    });
    return {
      kid: next.kid,
      retired: retired.map((key) => ({
        kid: key.kid,
        published_until: (key.publishedUntil as Date).toISOString(),
      })),
    };
  }
}
