import './tracing';
import { keyringOrExit, runService } from '@baton/service-kit';
import { EventManagerEnv } from './event-manager.env';
import { EventManagerModule } from './event-manager.module';

const SERVICE = 'event-manager';

runService({
  service: SERVICE,
  defaultPort: 3005,
  env: EventManagerEnv,
  module: (env, logger) =>
    EventManagerModule.forEnv(env, logger, keyringOrExit(SERVICE, env, logger)),
});
