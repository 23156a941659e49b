import type { BatonJwksView } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { publicOnly } from './signing-key-material';
import { SigningKeysRepository } from './signing-keys.repository';
import { TokenSettings } from './token-settings';

/** Baton's public keys: the active one and the retired ones whose tokens may still be valid. */
@Injectable()
export class GetJwksUseCase {
  constructor(
    private readonly keys: SigningKeysRepository,
    private readonly settings: TokenSettings,
  ) {}

  async execute(): Promise<BatonJwksView> {
    const keys = await this.keys.published();
    return {
      issuer: this.settings.issuer,
      audience: this.settings.audience,
      keys: keys.map((key) => publicOnly(key.publicJwk)),
    };
  }
}
