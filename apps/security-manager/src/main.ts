import './tracing';
import { bootstrapService, loadEnv } from '@baton/service-kit';
import { createLogger } from '@baton/telemetry';
import { SecurityEnv } from './security-manager.env';
import { SecurityManagerModule } from './security-manager.module';

const SERVICE = 'security-manager';
const env = loadEnv(SecurityEnv, SERVICE, 3001);
const logger = createLogger(SERVICE, env.LOG_LEVEL);

bootstrapService({
  service: SERVICE,
  module: SecurityManagerModule.forEnv(env, logger),
  env,
  logger,
}).catch((error: Error) => {
  logger.fatal({ err: error }, 'failed to start');
  process.exit(1);
});
