import { DATABASE } from './agent-manager.database';
import { foundationModules, WorkspacePurgeModule, type ServiceContext } from '@baton/service-kit';
import { Topics } from '@baton/contracts';
import { Module, type DynamicModule } from '@nestjs/common';
import type { AgentManagerEnv } from './agent-manager.env';
import { AgentsModule } from './agents/agents.module';
import { InstancesModule } from './instances/instances.module';
import { KubernetesProvisioningModule } from './provisioning/kubernetes/kubernetes-provisioning.module';
import { TasksModule } from './tasks/tasks.module';
import { PurgeWorkspaceUseCase } from './workspace-purge/purge-workspace.usecase';
import { WORKSPACE_TABLES } from './workspace-purge/workspace-tables';

@Module({})
export class AgentManagerModule {
  static forService(context: ServiceContext<AgentManagerEnv>): DynamicModule {
    return {
      module: AgentManagerModule,
      imports: [
        // Seals secrets: opens the vault secrets security-manager sends sealed (HTTP and LLM agents' keys).
        ...foundationModules(context, Topics.agentCommands, DATABASE, { sealsSecrets: true }),
        AgentsModule,
        TasksModule,
        InstancesModule,
        WorkspacePurgeModule.forTables(WORKSPACE_TABLES, PurgeWorkspaceUseCase),
        KubernetesProvisioningModule.forEnv(context.env),
      ],
    };
  }
}
