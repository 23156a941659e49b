import { DatabaseModule } from '@baton/database';
import { DATABASE } from './agent-manager.database';
import { DatabaseEnv, ServiceKitModule } from '@baton/service-kit';
import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { AgentsModule } from './agents/agents.module';
import { InstancesModule } from './instances/instances.module';

@Module({})
export class AgentManagerModule {
  static forEnv(env: DatabaseEnv, logger: Logger): DynamicModule {
    return {
      module: AgentManagerModule,
      imports: [
        ServiceKitModule.forService('agent-manager', env, logger),
        DatabaseModule.forService(DATABASE),
        AgentsModule,
        InstancesModule,
      ],
    };
  }
}
