import './tracing';
import { bootstrapService, loadEnv } from '@baton/service-kit';
import { createLogger } from '@baton/telemetry';
import { GatewayEnv } from './gateway.env';
import { GatewayModule } from './gateway.module';
import { configureHttp } from './http-setup';

const SERVICE = 'gateway';
const env = loadEnv(GatewayEnv, SERVICE, 3000);
const logger = createLogger(SERVICE, env.LOG_LEVEL);

bootstrapService({
  service: SERVICE,
  module: GatewayModule.forEnv(env, logger),
  env,
  logger,
  configure: configureHttp,
  bodyParser: false,
}).catch((error: Error) => {
  logger.fatal({ err: error }, 'failed to start');
  process.exit(1);
});
