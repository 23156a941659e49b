import { createHash } from 'node:crypto';
import { podWorkerKafkaEnv } from '../worker-kafka-credential';
import type { KubernetesProvisionerSpec } from './kubernetes-spec';

/** Only Deployments carrying this label are ever listed, changed or deleted by agent-manager. */
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'baton-agent-manager' };
export const MANAGED_SELECTOR = 'app.kubernetes.io/managed-by=baton-agent-manager';
export const WORKSPACE_LABEL = 'baton.dev/workspace';
export const AGENT_LABEL = 'baton.dev/agent';
/** Hash of the pod template agent-manager last wrote; a different one means the agent changed. */
export const TEMPLATE_HASH = 'baton.dev/template-hash';

export interface DeploymentTarget {
  workspaceId: string;
  agent: string;
  spec: KubernetesProvisionerSpec;
}

export interface ManifestSettings {
  /** Kafka as the pods reach it. */
  kafkaBrokers: string;
  /** How long a pod may drain on scale-down or decommission (AGENT_DECOMMISSION_GRACE_MS). */
  graceSeconds: number;
  /** agent-manager's KAFKA_SASL_MECHANISM: set, pods get their workspace's worker credential. */
  saslMechanism?: string;
}

/** The subset of apps/v1 Deployment that agent-manager writes and reads. */
export interface DeploymentManifest {
  apiVersion: 'apps/v1';
  kind: 'Deployment';
  metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
  };
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    template: PodTemplate;
  };
}

export interface PodTemplate {
  metadata: { labels: Record<string, string> };
  spec: Record<string, unknown>;
}

/**
 * A DNS label (≤ 63 characters) unique per workspace and agent: two workspaces'
 * agents of the same name share a namespace without sharing a Deployment.
 */
export function deploymentName(workspaceId: string, agent: string): string {
  const hash = createHash('sha256').update(`${workspaceId}/${agent}`).digest('hex').slice(0, 8);
  return `${`baton-${agent}`.slice(0, 54)}-${hash}`;
}

export function deploymentLabels(workspaceId: string, agent: string): Record<string, string> {
  return { ...MANAGED_BY, [WORKSPACE_LABEL]: workspaceId, [AGENT_LABEL]: agent };
}

/**
 * The pod template: one container running the agent's image with what the
 * SDK's AgentWorker reads (KAFKA_BROKERS, BATON_AGENT, BATON_WORKSPACE, and the
 * pod's name as BATON_INSTANCE_ID, so the instances view names pods; on a SASL
 * broker also KAFKA_SASL_* of the workspace's worker principal). It meets
 * Pod Security `restricted`, so the image must run as a non-root user.
 */
export function podTemplate(target: DeploymentTarget, settings: ManifestSettings): PodTemplate {
  const { spec } = target;
  // On a SASL broker the workspace's worker principal (ADR 0018): its username, and its password
  // from the Secret workerSecretName() in the agent's namespace; the agent's env cannot replace them.
  const credential = podWorkerKafkaEnv(settings, target.workspaceId);
  const decided = new Set(credential.map((entry) => entry.name));
  const env: Record<string, unknown>[] = Object.keys(spec.env)
    .filter((name) => !decided.has(name))
    .sort()
    .map((name) => ({ name, value: spec.env[name] }));
  env.push(...credential);
  env.push(
    { name: 'KAFKA_BROKERS', value: settings.kafkaBrokers },
    { name: 'BATON_AGENT', value: target.agent },
    { name: 'BATON_WORKSPACE', value: target.workspaceId },
    { name: 'BATON_INSTANCE_ID', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
  );
  const container: Record<string, unknown> = {
    name: 'agent',
    image: spec.image,
    env,
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    },
  };
  if (spec.resources.requests || spec.resources.limits) container.resources = spec.resources;
  return {
    metadata: { labels: deploymentLabels(target.workspaceId, target.agent) },
    spec: {
      // Agents talk to Kafka, never to the Kubernetes API.
      automountServiceAccountToken: false,
      terminationGracePeriodSeconds: settings.graceSeconds,
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [container],
    },
  };
}

export function templateHash(template: PodTemplate): string {
  return createHash('sha256').update(JSON.stringify(template)).digest('hex').slice(0, 16);
}

/** The Deployment agent-manager creates for a provisioned agent, starting at `replicas`. */
export function buildDeployment(
  target: DeploymentTarget,
  settings: ManifestSettings,
  replicas: number,
): DeploymentManifest {
  const template = podTemplate(target, settings);
  const labels = deploymentLabels(target.workspaceId, target.agent);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: deploymentName(target.workspaceId, target.agent),
      namespace: target.spec.namespace,
      labels,
      annotations: { [TEMPLATE_HASH]: templateHash(template) },
    },
    spec: {
      replicas,
      // Immutable once created, so it names only what never changes: workspace and agent.
      selector: {
        matchLabels: { [WORKSPACE_LABEL]: target.workspaceId, [AGENT_LABEL]: target.agent },
      },
      template,
    },
  };
}
