import './tracing';
import { DatabaseEnv, bootstrapService, loadEnv } from '@baton/service-kit';
import { createLogger } from '@baton/telemetry';
import { AgentManagerModule } from './agent-manager.module';

const SERVICE = 'agent-manager';
const env = loadEnv(DatabaseEnv, SERVICE, 3002);
const logger = createLogger(SERVICE, env.LOG_LEVEL);

bootstrapService({
  service: SERVICE,
  module: AgentManagerModule.forEnv(env, logger),
  env,
  logger,
}).catch((error: Error) => {
  logger.fatal({ err: error }, 'failed to start');
  process.exit(1);
});
