import './tracing';
import { encryptionKeyOrExit, runService } from '@baton/service-kit';
import { EventManagerEnv } from './event-manager.env';
import { EventManagerModule } from './event-manager.module';

const SERVICE = 'event-manager';

runService({
  service: SERVICE,
  defaultPort: 3005,
  env: EventManagerEnv,
  module: (env, logger) =>
    EventManagerModule.forEnv(env, logger, encryptionKeyOrExit(SERVICE, env, logger)),
});
