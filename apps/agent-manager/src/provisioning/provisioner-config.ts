import { isObject } from '@baton/contracts';
import type { FieldError } from '@baton/contracts';
import { commaList, type AgentManagerEnv } from '../agent-manager.env';
import { parseKubernetesProvisioner } from './kubernetes/kubernetes-spec';
import { parseProvisioner } from './scaling';

/** What the operator allows agents' provisioners to use (agent-manager's environment). */
export interface ProvisionerPolicy {
  /** Executables a `process` provisioner may start (AGENT_PROVISIONER_COMMANDS). */
  commands: string[];
  /** Namespaces a `kubernetes` provisioner may deploy to (AGENT_KUBERNETES_NAMESPACES). */
  namespaces: string[];
}

/** The policy the operator set (AGENT_PROVISIONER_COMMANDS, AGENT_KUBERNETES_NAMESPACES). */
export function provisionerPolicy(
  env: Pick<AgentManagerEnv, 'AGENT_PROVISIONER_COMMANDS' | 'AGENT_KUBERNETES_NAMESPACES'>,
): ProvisionerPolicy {
  return {
    commands: commaList(env.AGENT_PROVISIONER_COMMANDS),
    namespaces: commaList(env.AGENT_KUBERNETES_NAMESPACES),
  };
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
