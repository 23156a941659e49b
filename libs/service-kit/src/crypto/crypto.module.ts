import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { Keyring } from './keyring';
import { SecretBox } from './secret-box';

@Global()
@Module({})
export class CryptoModule {
  /** One SecretBox per service, sealing with the keyring's active key. */
  static forKeyring(keyring: Keyring): DynamicModule {
    return {
      module: CryptoModule,
      providers: [{ provide: SecretBox, useValue: new SecretBox(keyring) }],
      exports: [SecretBox],
    };
  }
}
