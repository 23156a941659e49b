import { DATABASE } from './agent-manager.database';
import { foundationModules, WorkspacePurgeModule, type Keyring } from '@baton/service-kit';
import { Topics } from '@baton/contracts';
import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import type { AgentManagerEnv } from './agent-manager.env';
import { AgentsModule } from './agents/agents.module';
import { InstancesModule } from './instances/instances.module';
import { KubernetesProvisioningModule } from './provisioning/kubernetes/kubernetes-provisioning.module';
import { TasksModule } from './tasks/tasks.module';
import { PurgeWorkspaceUseCase } from './workspace-purge/purge-workspace.usecase';
import { WORKSPACE_TABLES } from './workspace-purge/workspace-tables';

@Module({})
export class AgentManagerModule {
  static forEnv(env: AgentManagerEnv, logger: Logger, keyring: Keyring): DynamicModule {
    return {
      module: AgentManagerModule,
      imports: [
        ...foundationModules({
          service: 'agent-manager',
          env,
          logger,
          commands: Topics.agentCommands,
          database: DATABASE,
          // Opens the vault secrets security-manager sends sealed (HTTP and LLM agents' keys).
          keyring,
        }),
        AgentsModule,
        TasksModule,
        InstancesModule,
        WorkspacePurgeModule.forTables(WORKSPACE_TABLES, PurgeWorkspaceUseCase),
        KubernetesProvisioningModule.forEnv(env),
      ],
    };
  }
}
