import { buildDeployment, deploymentName, templateHash } from './deployment-manifest';
import { planDeployment, type ObservedDeployment } from './deployment-plan';
import { parseKubernetesProvisioner, type KubernetesProvisionerSpec } from './kubernetes-spec';

const spec: KubernetesProvisionerSpec = {
  type: 'kubernetes',
  image: 'registry.example.com/agents/echo:1.2',
  namespace: 'baton-agents',
  env: { MODE: 'fast', A_FIRST: '1' },
  resources: { requests: { cpu: '100m', memory: '128Mi' } },
  tasksPerInstance: 2,
  cooldownMs: 1_000,
};
const target = { workspaceId: 'acme', agent: 'echo', spec };
const settings = { kafkaBrokers: 'kafka.baton.svc:9092', graceSeconds: 30 };

describe('deploymentName', () => {
  it('is a DNS label of at most 63 characters that differs per workspace', () => {
    const long = deploymentName('ws', 'a'.repeat(63));
    expect(long).toHaveLength(63);
    expect(long).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(deploymentName('one', 'echo')).not.toBe(deploymentName('two', 'echo'));
    expect(deploymentName('acme', 'echo')).toMatch(/^baton-echo-[0-9a-f]{8}$/);
  });
});

describe('buildDeployment', () => {
  const manifest = buildDeployment(target, settings, 1);
  const pod = manifest.spec.template.spec as {
    containers: { image: string; env: { name: string; value?: string; valueFrom?: unknown }[] }[];
  } & Record<string, unknown>;

  it('names workspace and agent in its labels and selects its pods by them', () => {
    expect(manifest.metadata).toMatchObject({
      name: deploymentName('acme', 'echo'),
      namespace: 'baton-agents',
      labels: {
        'app.kubernetes.io/managed-by': 'baton-agent-manager',
        'baton.dev/workspace': 'acme',
        'baton.dev/agent': 'echo',
      },
    });
    expect(manifest.spec.selector.matchLabels).toEqual({
      'baton.dev/workspace': 'acme',
      'baton.dev/agent': 'echo',
    });
    expect(manifest.spec.template.metadata.labels).toMatchObject(
      manifest.spec.selector.matchLabels,
    );
    expect(manifest.spec.replicas).toBe(1);
  });

  it("gives the SDK's AgentWorker its agent, workspace, Kafka and the pod name as instance id", () => {
    const [container] = pod.containers;
    expect(container.image).toBe('registry.example.com/agents/echo:1.2');
    expect(container.env).toEqual([
      { name: 'A_FIRST', value: '1' },
      { name: 'MODE', value: 'fast' },
      { name: 'KAFKA_BROKERS', value: 'kafka.baton.svc:9092' },
      { name: 'BATON_AGENT', value: 'echo' },
      { name: 'BATON_WORKSPACE', value: 'acme' },
      { name: 'BATON_INSTANCE_ID', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ]);
    expect(container).toMatchObject({ resources: spec.resources });
  });

  it("on a SASL broker gives the pod its workspace's worker principal, which the agent's env cannot replace", () => {
    const own = { ...spec, env: { MODE: 'fast', KAFKA_SASL_USERNAME: 'baton-agent-manager' } };
    const secure = buildDeployment(
      { ...target, spec: own },
      { ...settings, saslMechanism: 'scram-sha-512' },
      1,
    );
    const [container] = (secure.spec.template.spec as typeof pod).containers;
    expect(container.env).toEqual([
      { name: 'MODE', value: 'fast' },
      { name: 'KAFKA_SASL_MECHANISM', value: 'scram-sha-512' },
      { name: 'KAFKA_SASL_USERNAME', value: 'baton-worker-acme' },
      {
        name: 'KAFKA_SASL_PASSWORD',
        valueFrom: { secretKeyRef: { name: 'baton-worker-acme-kafka', key: 'password' } },
      },
      { name: 'KAFKA_BROKERS', value: 'kafka.baton.svc:9092' },
      { name: 'BATON_AGENT', value: 'echo' },
      { name: 'BATON_WORKSPACE', value: 'acme' },
      { name: 'BATON_INSTANCE_ID', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ]);
  });

  it('runs under Pod Security restricted, without an API token, with the decommission grace', () => {
    expect(pod).toMatchObject({
      automountServiceAccountToken: false,
      terminationGracePeriodSeconds: 30,
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    });
    expect(pod.containers[0]).toMatchObject({
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    });
  });

  it('records the hash of its pod template', () => {
    expect(manifest.metadata.annotations['baton.dev/template-hash']).toBe(
      templateHash(manifest.spec.template),
    );
  });
});

describe('planDeployment', () => {
  const current = buildDeployment(target, settings, 2);
  const observed: ObservedDeployment = {
    name: current.metadata.name,
    labels: current.metadata.labels,
    annotations: current.metadata.annotations,
    replicas: 2,
    readyReplicas: 2,
  };

  it('creates a missing Deployment with the count asked for', () => {
    expect(planDeployment(target, settings, undefined, 1)).toEqual([
      { kind: 'create', manifest: buildDeployment(target, settings, 1) },
    ]);
  });

  it('does nothing when template and count already match', () => {
    expect(planDeployment(target, settings, observed, 2)).toEqual([]);
  });

  it('scales through the scale subresource with a patch that also works from 0', () => {
    expect(planDeployment(target, settings, observed, 3)).toEqual([
      { kind: 'scale', replicas: 3, patch: [{ op: 'add', path: '/spec/replicas', value: 3 }] },
    ]);
  });

  it('replaces the pod template when the image changed, and records the new hash', () => {
    const changed = { ...target, spec: { ...spec, image: 'registry.example.com/agents/echo:1.3' } };
    const [action] = planDeployment(changed, settings, observed, 2);
    const template = buildDeployment(changed, settings, 2).spec.template;
    expect(action).toEqual({
      kind: 'update-template',
      patch: [
        { op: 'replace', path: '/spec/template', value: template },
        {
          op: 'add',
          path: '/metadata/annotations/baton.dev~1template-hash',
          value: templateHash(template),
        },
      ],
    });
  });
});

describe('parseKubernetesProvisioner', () => {
  const namespaces = ['baton-agents', 'team-b'];

  it('accepts an image with defaults: the first allowed namespace, scaling as for processes', () => {
    expect(parseKubernetesProvisioner({ type: 'kubernetes', image: 'echo:1' }, namespaces)).toEqual(
      {
        ok: true,
        spec: {
          type: 'kubernetes',
          image: 'echo:1',
          namespace: 'baton-agents',
          env: {},
          resources: {},
          tasksPerInstance: 1,
          cooldownMs: 30_000,
        },
      },
    );
  });

  it('names every bad field', () => {
    const result = parseKubernetesProvisioner(
      {
        type: 'kubernetes',
        image: 'has space',
        namespace: 'kube-system',
        env: { KAFKA_BROKERS: 'x', 'bad-name': 'y' },
        resources: { requests: { cpu: 'lots' }, limits: { gpu: '1' }, extra: {} },
        tasks_per_instance: 0,
      },
      namespaces,
    );
    expect(result.ok ? [] : result.errors.map((e) => e.field)).toEqual([
      'config.provisioner.image',
      'config.provisioner.namespace',
      'config.provisioner.env.KAFKA_BROKERS',
      'config.provisioner.env.bad-name',
      'config.provisioner.resources.requests.cpu',
      'config.provisioner.resources.limits.gpu',
      'config.provisioner.resources.extra',
      'config.provisioner.tasks_per_instance',
    ]);
  });

  it('says how to turn kubernetes provisioning on when it is off', () => {
    const result = parseKubernetesProvisioner({ type: 'kubernetes', image: 'echo:1' }, []);
    expect(result).toMatchObject({ ok: false, errors: [{ field: 'config.provisioner.type' }] });
    expect(result.ok ? '' : result.errors[0].message).toContain('AGENT_KUBERNETES_NAMESPACES');
  });
});
