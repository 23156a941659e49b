import './tracing';
import { runService } from '@baton/service-kit';
import { SecurityEnv } from './security-manager.env';
import { SecurityManagerModule } from './security-manager.module';

runService({
  service: 'security-manager',
  defaultPort: 3001,
  env: SecurityEnv,
  module: (context) => SecurityManagerModule.forService(context),
});
