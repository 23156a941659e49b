import { DatabaseModule } from '@baton/database';
import { DatabaseEnv, ServiceKitModule } from '@baton/service-kit';
import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { AgentEntity, AgentVersionEntity } from './agents/agent.entity';
import { AgentsModule } from './agents/agents.module';
import { AgentInstanceEntity } from './instances/agent-instance.entity';
import { InstancesModule } from './instances/instances.module';
import { AgentRegistry1732435200001 } from './migrations/1732435200001-agent-registry';

@Module({})
export class AgentManagerModule {
  static forEnv(env: DatabaseEnv, logger: Logger): DynamicModule {
    return {
      module: AgentManagerModule,
      imports: [
        ServiceKitModule.forService('agent-manager', env, logger),
        DatabaseModule.forService({
          schema: 'agent_manager',
          entities: [AgentEntity, AgentVersionEntity, AgentInstanceEntity],
          migrations: [AgentRegistry1732435200001],
        }),
        AgentsModule,
        InstancesModule,
      ],
    };
  }
}
