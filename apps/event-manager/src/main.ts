import './tracing';
import { runService } from '@baton/service-kit';
import { EventManagerEnv } from './event-manager.env';
import { EventManagerModule } from './event-manager.module';

runService({
  service: 'event-manager',
  defaultPort: 3005,
  env: EventManagerEnv,
  module: (context) => EventManagerModule.forService(context),
});
