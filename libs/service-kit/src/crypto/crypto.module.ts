import { Global, Module, type DynamicModule } from '@nestjs/common';
import { SecretBox } from './secret-box';

@Global()
@Module({})
export class CryptoModule {
  static forKey(key: Buffer): DynamicModule {
    return {
      module: CryptoModule,
      providers: [{ provide: SecretBox, useValue: new SecretBox(key) }],
      exports: [SecretBox],
    };
  }
}
