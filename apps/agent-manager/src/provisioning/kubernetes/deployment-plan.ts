import {
  AGENT_LABEL,
  buildDeployment,
  podTemplate,
  TEMPLATE_HASH,
  templateHash,
  WORKSPACE_LABEL,
  type DeploymentManifest,
  type DeploymentTarget,
  type ManifestSettings,
} from './deployment-manifest';

/** What agent-manager reads back from a listed Deployment. */
export interface ObservedDeployment {
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  replicas: number;
  readyReplicas: number;
}

/** An RFC 6902 operation: the client's default patch type, exact where a merge patch is not. */
export interface JsonPatchOperation {
  op: 'add' | 'replace';
  path: string;
  value: unknown;
}

export type DeploymentAction =
  | { kind: 'create'; manifest: DeploymentManifest }
  | { kind: 'update-template'; patch: JsonPatchOperation[] }
  | { kind: 'scale'; replicas: number; patch: JsonPatchOperation[] };

/**
 * What to send so that the cluster runs `replicas` pods of the agent as it is
 * configured now: create the Deployment (at min_instances, as the scaler asks
 * for), replace its pod template when the agent's image, env or resources
 * changed, and set the replica count through the scale subresource.
 */
export function planDeployment(
  target: DeploymentTarget,
  settings: ManifestSettings,
  observed: ObservedDeployment | undefined,
  replicas: number,
): DeploymentAction[] {
  if (!observed) {
    return [{ kind: 'create', manifest: buildDeployment(target, settings, replicas) }];
  }
  const actions: DeploymentAction[] = [];
  const template = podTemplate(target, settings);
  const hash = templateHash(template);
  if (observed.annotations[TEMPLATE_HASH] !== hash) {
    actions.push({
      kind: 'update-template',
      patch: [
        // Replacing the whole template drops fields the agent no longer sets (a merge patch keeps them).
        { op: 'replace', path: '/spec/template', value: template },
        { op: 'add', path: `/metadata/annotations/${pointer(TEMPLATE_HASH)}`, value: hash },
      ],
    });
  }
  if (observed.replicas !== replicas) {
    // `add` also works when the API server omits spec.replicas (it does for 0).
    actions.push({
      kind: 'scale',
      replicas,
      patch: [{ op: 'add', path: '/spec/replicas', value: replicas }],
    });
  }
  return actions;
}

/** True when a listed Deployment is this agent's (and not another workspace's of the same name). */
export function belongsTo(observed: ObservedDeployment, target: DeploymentTarget): boolean {
  return (
    observed.labels[WORKSPACE_LABEL] === target.workspaceId &&
    observed.labels[AGENT_LABEL] === target.agent
  );
}

/** JSON Pointer escaping (RFC 6901) of one path segment. */
function pointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
