import { DatabaseModule } from '@baton/database';
import { DATABASE } from './agent-manager.database';
import { CommandsModule, CryptoModule, ServiceKitModule, type Keyring } from '@baton/service-kit';
import { Topics } from '@baton/contracts';
import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import type { AgentManagerEnv } from './agent-manager.env';
import { AgentsModule } from './agents/agents.module';
import { InstancesModule } from './instances/instances.module';
import { KubernetesProvisioningModule } from './provisioning/kubernetes/kubernetes-provisioning.module';
import { TasksModule } from './tasks/tasks.module';
import { WorkspacePurgeModule } from './workspace-purge/workspace-purge.module';

@Module({})
export class AgentManagerModule {
  static forEnv(env: AgentManagerEnv, logger: Logger, keyring: Keyring): DynamicModule {
    return {
      module: AgentManagerModule,
      imports: [
        ServiceKitModule.forService('agent-manager', env, logger),
        DatabaseModule.forService(DATABASE, env),
        // Opens the vault secrets security-manager sends sealed (HTTP and LLM agents' keys).
        CryptoModule.forKeyring(keyring),
        CommandsModule.forTopic(Topics.agentCommands),
        AgentsModule,
        TasksModule,
        InstancesModule,
        WorkspacePurgeModule,
        KubernetesProvisioningModule.forEnv(env),
      ],
    };
  }
}
