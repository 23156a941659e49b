import './tracing';
import { DatabaseEnv, runService } from '@baton/service-kit';
import { AgentManagerModule } from './agent-manager.module';

runService({
  service: 'agent-manager',
  defaultPort: 3002,
  env: DatabaseEnv,
  module: (env, logger) => AgentManagerModule.forEnv(env, logger),
});
