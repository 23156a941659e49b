import './tracing';
import { keyringOrExit, runService } from '@baton/service-kit';
import { SecurityEnv } from './security-manager.env';
import { SecurityManagerModule } from './security-manager.module';

const SERVICE = 'security-manager';

runService({
  service: SERVICE,
  defaultPort: 3001,
  env: SecurityEnv,
  module: (env, logger) =>
    SecurityManagerModule.forEnv(env, logger, keyringOrExit(SERVICE, env, logger)),
});
