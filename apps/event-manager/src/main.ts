import './tracing';
import { DatabaseEnv, runService } from '@baton/service-kit';
import { EventManagerModule } from './event-manager.module';

runService({
  service: 'event-manager',
  defaultPort: 3005,
  env: DatabaseEnv,
  module: (env, logger) => EventManagerModule.forEnv(env, logger),
});
