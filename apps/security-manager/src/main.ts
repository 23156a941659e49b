import './tracing';
import { encryptionKeyOrExit, runService } from '@baton/service-kit';
import { SecurityEnv } from './security-manager.env';
import { SecurityManagerModule } from './security-manager.module';

const SERVICE = 'security-manager';

runService({
  service: SERVICE,
  defaultPort: 3001,
  env: SecurityEnv,
  // The key seals the private halves of the token signing keys at rest.
  module: (env, logger) =>
    SecurityManagerModule.forEnv(env, logger, encryptionKeyOrExit(SERVICE, env, logger)),
});
