import './tracing';
import { exitWithConfigError, runService } from '@baton/service-kit';
import { resolveEncryptionKey } from './crypto/encryption-key';
import { IntegrationEnv } from './integration-manager.env';
import { IntegrationManagerModule } from './integration-manager.module';

const SERVICE = 'integration-manager';

runService({
  service: SERVICE,
  defaultPort: 3004,
  env: IntegrationEnv,
  module: (env, logger) => {
    const encryption = resolveEncryptionKey(env.BATON_ENCRYPTION_KEY, process.env.NODE_ENV);
    if (!encryption.ok) exitWithConfigError(SERVICE, 'BATON_ENCRYPTION_KEY', encryption.reason);
    if (encryption.source === 'development') {
      logger.warn(
        'BATON_ENCRYPTION_KEY is not set: connection secrets use a fixed development key; set it in production',
      );
    }
    return IntegrationManagerModule.forEnv(env, logger, encryption.key);
  },
});
