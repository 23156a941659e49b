import './tracing';
import { runService } from '@baton/service-kit';
import { IntegrationEnv } from './integration-manager.env';
import { IntegrationManagerModule } from './integration-manager.module';

runService({
  service: 'integration-manager',
  defaultPort: 3004,
  env: IntegrationEnv,
  module: (context) => IntegrationManagerModule.forService(context),
});
