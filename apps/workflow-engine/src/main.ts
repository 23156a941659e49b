import './tracing';
import { DatabaseEnv, bootstrapService, loadEnv } from '@baton/service-kit';
import { createLogger } from '@baton/telemetry';
import { WorkflowEngineModule } from './workflow-engine.module';

const SERVICE = 'workflow-engine';
const env = loadEnv(DatabaseEnv, SERVICE, 3003);
const logger = createLogger(SERVICE, env.LOG_LEVEL);

bootstrapService({
  service: SERVICE,
  module: WorkflowEngineModule.forEnv(env, logger),
  env,
  logger,
}).catch((error: Error) => {
  logger.fatal({ err: error }, 'failed to start');
  process.exit(1);
});
