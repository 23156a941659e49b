import type { DeploymentManifest } from './deployment-manifest';
import type { JsonPatchOperation, ObservedDeployment } from './deployment-plan';

/**
 * The few calls agent-manager makes to the Kubernetes API. The rest of the
 * provisioner depends on this interface only: @kubernetes/client-node is an
 * ES module, which Node 20.19+ loads from our CommonJS build but Jest cannot,
 * so only kubernetes-client.ts imports it, and only when provisioning is on.
 */
export interface DeploymentsApi {
  /** Where the client sends requests (for the log; never carries credentials). */
  readonly server: string;
  list(namespace: string, labelSelector: string): Promise<ObservedDeployment[]>;
  create(manifest: DeploymentManifest): Promise<void>;
  patch(namespace: string, name: string, patch: JsonPatchOperation[]): Promise<void>;
  scale(namespace: string, name: string, patch: JsonPatchOperation[]): Promise<void>;
  /** Deletes the Deployment with its ReplicaSets and pods; true when it was there. */
  remove(namespace: string, name: string): Promise<boolean>;
}

/** A failed Kubernetes call, reduced to what may be shown: status and the API's message. */
export class KubernetesError extends Error {
  constructor(
    readonly status: number | null,
    message: string,
  ) {
    super(message);
  }
}
