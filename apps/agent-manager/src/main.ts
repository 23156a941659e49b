import './tracing';
import { bootstrapService, loadEnv } from '@baton/service-kit';
import { createLogger } from '@baton/telemetry';
import { AgentManagerEnv } from './agent-manager.env';
import { AgentManagerModule } from './agent-manager.module';

const SERVICE = 'agent-manager';
const env = loadEnv(AgentManagerEnv, SERVICE, 3002);
const logger = createLogger(SERVICE, env.LOG_LEVEL);
if (!env.BATON_CALLBACK_SECRET) {
  logger.warn(
    'BATON_CALLBACK_SECRET is not set: task callbacks are signed with a fixed development secret; set it in production',
  );
}

bootstrapService({
  service: SERVICE,
  module: AgentManagerModule.forEnv(env, logger),
  env,
  logger,
}).catch((error: Error) => {
  logger.fatal({ err: error }, 'failed to start');
  process.exit(1);
});
