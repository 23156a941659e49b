import { isObject } from '@baton/contracts';
import type { FieldError } from '@baton/contracts';
import { parseKubernetesProvisioner } from './kubernetes/kubernetes-spec';
import { parseProvisioner } from './scaling';

/** What the operator allows agents' provisioners to use (agent-manager's environment). */
export interface ProvisionerPolicy {
  /** Executables a `process` provisioner may start (AGENT_PROVISIONER_COMMANDS). */
  commands: string[];
  /** Namespaces a `kubernetes` provisioner may deploy to (AGENT_KUBERNETES_NAMESPACES). */
  namespaces: string[];
}

/** Everything wrong with `config.provisioner`, whichever kind it is. */
export function provisionerErrors(value: unknown, policy: ProvisionerPolicy): FieldError[] {
  if (isObject(value) && value.type === 'kubernetes') {
    const parsed = parseKubernetesProvisioner(value, policy.namespaces);
    return parsed.ok ? [] : parsed.errors;
  }
  if (isObject(value) && value.type !== 'process') {
    return [{ field: 'config.provisioner.type', message: "must be 'process' or 'kubernetes'" }];
  }
  const parsed = parseProvisioner(value, policy.commands);
  return parsed.ok ? [] : parsed.errors;
}
