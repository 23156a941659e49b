import type { RotatedSigningKeyView } from '@baton/contracts';
import { SecretBox } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
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
  ) {}

  async execute(): Promise<RotatedSigningKeyView> {
    const next = await generateSigningKey(this.box);
    const retired = await this.keys.rotate(next, this.settings.ttlSeconds);
    return {
      kid: next.kid,
      retired: retired.map((key) => ({
        kid: key.kid,
        published_until: (key.publishedUntil as Date).toISOString(),
      })),
    };
  }
}
