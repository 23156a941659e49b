import { isObject } from '@baton/contracts';
import type { FieldError } from '@baton/contracts';
import { parseScalingFields, type ScalingFields } from '../scaling';

/** `config.provisioner` of a worker agent whose instances run as a Kubernetes Deployment. */
export interface KubernetesProvisionerSpec extends ScalingFields {
  type: 'kubernetes';
  image: string;
  namespace: string;
  env: Record<string, string>;
  resources: ContainerResources;
}

type ResourceList = { cpu?: string; memory?: string };
export interface ContainerResources {
  requests?: ResourceList;
  limits?: ResourceList;
}

/** Set by agent-manager on every pod, so that the SDK's AgentWorker finds its agent and Kafka. */
export const RESERVED_ENV = [
  'KAFKA_BROKERS',
  'BATON_AGENT',
  'BATON_WORKSPACE',
  'BATON_INSTANCE_ID',
];

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// A Kubernetes quantity as people write them for cpu and memory: 250m, 0.5, 512Mi, 1G.
const QUANTITY = /^\d+(\.\d+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const IMAGE = /^[^\s]{1,512}$/;

/**
 * Checks a `type: kubernetes` provisioner. Agents may only use namespaces the
 * operator listed in AGENT_KUBERNETES_NAMESPACES (the first is the default):
 * agent-manager's Role is granted there and nowhere else.
 */
export function parseKubernetesProvisioner(
  value: Record<string, unknown>,
  namespaces: string[],
): { ok: true; spec: KubernetesProvisionerSpec } | { ok: false; errors: FieldError[] } {
  const at = 'config.provisioner';
  const errors: FieldError[] = [];
  if (namespaces.length === 0) {
    errors.push({
      field: `${at}.type`,
      message:
        'kubernetes provisioning is disabled (set AGENT_KUBERNETES_NAMESPACES on agent-manager)',
    });
  }
  if (typeof value.image !== 'string' || !IMAGE.test(value.image)) {
    errors.push({ field: `${at}.image`, message: 'must be an image reference without spaces' });
  }
  const namespace = value.namespace ?? namespaces[0];
  if (namespaces.length > 0 && !namespaces.includes(namespace as string)) {
    errors.push({
      field: `${at}.namespace`,
      message: `must be one of AGENT_KUBERNETES_NAMESPACES: ${namespaces.join(', ')}`,
    });
  }
  const env = value.env ?? {};
  if (!isObject(env) || !Object.values(env).every((v) => typeof v === 'string')) {
    errors.push({ field: `${at}.env`, message: 'must map names to strings' });
  } else {
    for (const name of Object.keys(env)) {
      if (!ENV_NAME.test(name)) {
        errors.push({ field: `${at}.env.${name}`, message: 'is not a valid variable name' });
      } else if (RESERVED_ENV.includes(name)) {
        errors.push({ field: `${at}.env.${name}`, message: 'is set by agent-manager' });
      }
    }
  }
  const resources = value.resources ?? {};
  errors.push(...resourceErrors(resources, `${at}.resources`));
  const scaling = parseScalingFields(value, at, errors);
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    spec: {
      type: 'kubernetes',
      image: value.image as string,
      namespace: namespace as string,
      env: env as Record<string, string>,
      resources: resources as ContainerResources,
      ...scaling,
    },
  };
}

function resourceErrors(value: unknown, at: string): FieldError[] {
  if (!isObject(value)) return [{ field: at, message: 'must be an object' }];
  const errors: FieldError[] = [];
  for (const [kind, list] of Object.entries(value)) {
    if (kind !== 'requests' && kind !== 'limits') {
      errors.push({ field: `${at}.${kind}`, message: 'must be requests or limits' });
    } else if (!isObject(list)) {
      errors.push({ field: `${at}.${kind}`, message: 'must be an object' });
    } else {
      for (const [resource, quantity] of Object.entries(list)) {
        if (resource !== 'cpu' && resource !== 'memory') {
          errors.push({ field: `${at}.${kind}.${resource}`, message: 'must be cpu or memory' });
        } else if (typeof quantity !== 'string' || !QUANTITY.test(quantity)) {
          errors.push({
            field: `${at}.${kind}.${resource}`,
            message: 'must be a quantity such as 250m, 1, 512Mi or 1Gi (a string)',
          });
        }
      }
    }
  }
  return errors;
}
