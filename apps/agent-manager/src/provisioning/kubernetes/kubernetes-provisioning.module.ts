import { exitWithConfigError } from '@baton/service-kit';
import { Module, type DynamicModule } from '@nestjs/common';
import type { AgentManagerEnv } from '../../agent-manager.env';
import { provisionerPolicy } from '../provisioner-config';
import { ProvisionedAgentsRepository } from '../provisioned-agents.repository';
import { DeploymentStatuses } from './deployment-statuses.repository';
import type { DeploymentsApi } from './deployments-api';
import {
  DEPLOYMENTS_API,
  KUBERNETES_SETTINGS,
  KubernetesProvisioner,
  type KubernetesSettings,
} from './kubernetes-provisioner';

/** The kubernetes provisioner, when AGENT_KUBERNETES_NAMESPACES turns it on; nothing otherwise. */
@Module({})
export class KubernetesProvisioningModule {
  static forEnv(env: AgentManagerEnv): DynamicModule {
    const { namespaces } = provisionerPolicy(env);
    if (namespaces.length === 0) return { module: KubernetesProvisioningModule };
    const settings: KubernetesSettings = {
      namespaces,
      kafkaBrokers: env.AGENT_KUBERNETES_KAFKA_BROKERS ?? env.KAFKA_BROKERS,
      graceSeconds: Math.max(1, Math.ceil(env.AGENT_DECOMMISSION_GRACE_MS / 1000)),
      saslMechanism: env.KAFKA_SASL_MECHANISM,
    };
    return {
      module: KubernetesProvisioningModule,
      providers: [
        { provide: KUBERNETES_SETTINGS, useValue: settings },
        { provide: DEPLOYMENTS_API, useFactory: connect },
        DeploymentStatuses,
        ProvisionedAgentsRepository,
        KubernetesProvisioner,
      ],
    };
  }
}

/** Loaded only here: the client is a large ES module that a service without provisioning never needs. */
async function connect(): Promise<DeploymentsApi> {
  try {
    const { connectDeploymentsApi } = await import('./kubernetes-client');
    return connectDeploymentsApi();
  } catch (error) {
    return exitWithConfigError(
      'agent-manager',
      'KUBECONFIG',
      `cannot load the cluster configuration: ${(error as Error).message}`,
    );
  }
}
