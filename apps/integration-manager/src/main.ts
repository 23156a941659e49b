import './tracing';
import { bootstrapService, loadEnv } from '@baton/service-kit';
import { createLogger } from '@baton/telemetry';
import { resolveEncryptionKey } from './crypto/encryption-key';
import { IntegrationEnv } from './integration-manager.env';
import { IntegrationManagerModule } from './integration-manager.module';

const SERVICE = 'integration-manager';
const env = loadEnv(IntegrationEnv, SERVICE, 3004);
const encryption = resolveEncryptionKey(env.BATON_ENCRYPTION_KEY, process.env.NODE_ENV);
if (!encryption.ok) {
  process.stderr.write(
    `baton-${SERVICE}: invalid configuration: BATON_ENCRYPTION_KEY ${encryption.reason}\n`,
  );
  process.exit(1);
}
const logger = createLogger(SERVICE, env.LOG_LEVEL);
if (encryption.source === 'development') {
  logger.warn(
    'BATON_ENCRYPTION_KEY is not set: connection secrets use a fixed development key; set it in production',
  );
}

bootstrapService({
  service: SERVICE,
  module: IntegrationManagerModule.forEnv(env, logger, encryption.key),
  env,
  logger,
}).catch((error: Error) => {
  logger.fatal({ err: error }, 'failed to start');
  process.exit(1);
});
