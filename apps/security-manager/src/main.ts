import './tracing';
import { encryptionKeyOrExit, runService } from '@baton/service-kit';
import { SecurityEnv } from './security-manager.env';
import { SecurityManagerModule } from './security-manager.module';

runService({
  service: 'security-manager',
  defaultPort: 3001,
  env: SecurityEnv,
  module: (env, logger) =>
    SecurityManagerModule.forEnv(env, logger, encryptionKeyOrExit('security-manager', env, logger)),
});
