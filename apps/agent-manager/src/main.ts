import './tracing';
import { runService } from '@baton/service-kit';
import { AgentManagerEnv } from './agent-manager.env';
import { AgentManagerModule } from './agent-manager.module';

runService({
  service: 'agent-manager',
  defaultPort: 3002,
  env: AgentManagerEnv,
  module: (context) => {
    if (!context.env.BATON_CALLBACK_SECRET) {
      context.logger.warn(
        'BATON_CALLBACK_SECRET is not set: task callbacks are signed with a fixed development secret; set it in production',
      );
    }
    return AgentManagerModule.forService(context);
  },
});
