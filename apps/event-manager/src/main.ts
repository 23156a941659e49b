import './tracing';
import { bootstrapService, loadEnv } from '@baton/service-kit';
import { createLogger } from '@baton/telemetry';
import { EventManagerEnv } from './event-manager.env';
import { EventManagerModule } from './event-manager.module';

const SERVICE = 'event-manager';
const env = loadEnv(EventManagerEnv, SERVICE, 3005);
const logger = createLogger(SERVICE, env.LOG_LEVEL);

bootstrapService({
  service: SERVICE,
  module: EventManagerModule.forEnv(env, logger),
  env,
  logger,
}).catch((error: Error) => {
  logger.fatal({ err: error }, 'failed to start');
  process.exit(1);
});
