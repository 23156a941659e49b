import { AppsV1Api, KubeConfig, type V1Deployment } from '@kubernetes/client-node';
import { KubernetesError, type DeploymentsApi } from './deployments-api';

/**
 * Loads the cluster's address and credentials the way kubectl does: the files
 * in KUBECONFIG, else ~/.kube/config, else the pod's service account. Throws
 * when KUBECONFIG names a file that cannot be read.
 */
export function connectDeploymentsApi(): DeploymentsApi {
  const config = new KubeConfig();
  config.loadFromDefault();
  const server = config.getCurrentCluster()?.server;
  if (!server) throw new Error('the kubeconfig names no current cluster');
  const api = config.makeApiClient(AppsV1Api);
  return {
    server,
    list: (namespace, labelSelector) =>
      call(`list deployments in ${namespace}`, async () => {
        const list = await api.listNamespacedDeployment({ namespace, labelSelector });
        return list.items.map((d) => ({
          name: d.metadata?.name ?? '',
          labels: d.metadata?.labels ?? {},
          annotations: d.metadata?.annotations ?? {},
          replicas: d.spec?.replicas ?? 1,
          readyReplicas: d.status?.readyReplicas ?? 0,
        }));
      }),
    create: (manifest) =>
      call(`create deployment ${manifest.metadata.name}`, async () => {
        await api.createNamespacedDeployment({
          namespace: manifest.metadata.namespace,
          // Built to the Deployment schema; the client's model types are not needed to build it.
          body: manifest as unknown as V1Deployment,
        });
      }),
    patch: (namespace, name, patch) =>
      call(`patch deployment ${name}`, async () => {
        await api.patchNamespacedDeployment({ namespace, name, body: patch });
      }),
    scale: (namespace, name, patch) =>
      call(`scale deployment ${name}`, async () => {
        await api.patchNamespacedDeploymentScale({ namespace, name, body: patch });
      }),
    remove: (namespace, name) =>
      call(`delete deployment ${name}`, async () => {
        try {
          await api.deleteNamespacedDeployment({
            namespace,
            name,
            propagationPolicy: 'Background',
          });
          return true;
        } catch (error) {
          if ((error as { code?: number }).code === 404) return false;
          throw error;
        }
      }),
  };
}

async function call<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toKubernetesError(what, error);
  }
}

/**
 * The client's errors carry the whole response (and, for network errors, the
 * request); only the status and the Status object's message are kept.
 */
function toKubernetesError(what: string, error: unknown): KubernetesError {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'number') {
    const body = (error as { body?: unknown }).body;
    let message = '';
    try {
      const parsed = (typeof body === 'string' ? JSON.parse(body) : body) as { message?: unknown };
      if (typeof parsed?.message === 'string') message = parsed.message;
    } catch {
      /* not a Status object */
    }
    return new KubernetesError(code, `${what}: HTTP ${code}${message ? `: ${message}` : ''}`);
  }
  // Network and configuration errors: their messages name the URL at most, never the token.
  const cause = (error as { cause?: { code?: string } }).cause?.code;
  const reason = cause ?? (error instanceof Error ? error.message : String(error));
  return new KubernetesError(null, `${what}: ${reason.slice(0, 300)}`);
}
