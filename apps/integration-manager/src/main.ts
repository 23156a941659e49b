import './tracing';
import { keyringOrExit, runService } from '@baton/service-kit';
import { IntegrationEnv } from './integration-manager.env';
import { IntegrationManagerModule } from './integration-manager.module';

const SERVICE = 'integration-manager';

runService({
  service: SERVICE,
  defaultPort: 3004,
  env: IntegrationEnv,
  module: (env, logger) =>
    IntegrationManagerModule.forEnv(env, logger, keyringOrExit(SERVICE, env, logger)),
});
