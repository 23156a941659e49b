import { EncryptedDatabaseEnv } from './crypto/encryption-key';
import { BaseEnv, DatabaseEnv } from './env';
import { ServiceKitModule } from './service-kit.module';

class SomeServiceEnv extends EncryptedDatabaseEnv {
  SOME_SETTING_MS: number = 5;
}

describe('ServiceKitModule: the typed env as a provider', () => {
  it("provides the service's env under its own class and every class it extends", () => {
    const env = Object.assign(new SomeServiceEnv(), { KAFKA_BROKERS: 'k:1' });
    const module = ServiceKitModule.forService('some', env, { child: () => ({}) } as never);
    const providers = (module.providers ?? []) as Array<{ provide?: unknown; useValue?: unknown }>;
    const byToken = new Map(providers.map((p) => [p.provide, p.useValue]));
    for (const cls of [SomeServiceEnv, EncryptedDatabaseEnv, DatabaseEnv, BaseEnv]) {
      expect(byToken.get(cls)).toBe(env);
      expect(module.exports).toContain(cls);
    }
  });
});
