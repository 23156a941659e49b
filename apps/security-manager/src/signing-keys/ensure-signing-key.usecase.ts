import { SecretBox } from '@baton/service-kit';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { generateSigningKey } from './signing-key-material';
import { SigningKeysRepository } from './signing-keys.repository';

/** A fresh install gets its first signing key at start; replicas starting together make one. */
@Injectable()
export class EnsureSigningKeyUseCase implements OnApplicationBootstrap {
  constructor(
    private readonly keys: SigningKeysRepository,
    private readonly box: SecretBox,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (await this.keys.active()) return;
    await this.keys.insertIfNoneActive(await generateSigningKey(this.box));
  }
}
