import type { AgentView } from '@baton/contracts';
import { AgentWorker, type OrchestratePlatform } from '@baton/sdk';
import * as fs from 'node:fs';
import { FakeKubernetes } from './support/fake-kubernetes';
import { FAKE_KUBERNETES } from './support/paths';
import { api, eventually, platformState, sdk } from './support/platform';
import { uniqueName } from './support/scripted-server';

type Container = {
  image: string;
  env: { name: string; value?: string; valueFrom?: unknown }[];
  resources?: unknown;
};
type PodSpec = { containers: Container[]; terminationGracePeriodSeconds: number };

/**
 * The kubernetes provisioner against a small fake Kubernetes API server
 * (support/fake-kubernetes.ts) on the address agent-manager's kubeconfig
 * names: one Deployment per agent, scaled by the backlog, updated when the
 * agent changes, deleted on decommission, failures shown on the agent.
 */
describe('kubernetes provisioner: a Deployment per worker agent', () => {
  const fake = new FakeKubernetes(FAKE_KUBERNETES.token);
  let orchestrate: OrchestratePlatform;
  let worker: AgentWorker | undefined;
  const name = uniqueName('k8s');

  const agent = async () => (await api<AgentView>('GET', `/v1/agents/${name}`)).body;
  const provisioning = async () => (await agent()).provisioning ?? undefined;
  const deployment = async () => {
    const view = await provisioning();
    return view ? fake.deployment(view.namespace, view.deployment) : undefined;
  };
  const replicas = async (n: number) =>
    eventually(
      async () => ((await deployment())?.spec.replicas === n ? true : undefined),
      40_000,
      `${n} replicas`,
    );

  beforeAll(async () => {
    await fake.start(FAKE_KUBERNETES.port);
    orchestrate = sdk();
    await orchestrate.registerAgent({
      name,
      type: 'worker',
      min_instances: 1,
      max_instances: 3,
      config: {
        provisioner: {
          type: 'kubernetes',
          image: 'registry.example.com/agents/echo:1.0',
          env: { MODE: 'fast' },
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
          tasks_per_instance: 2,
          cooldown_ms: 1_000,
        },
      },
    });
  });

  afterAll(async () => {
    await worker?.stop();
    await fake.stop();
  });

  it('refuses a provisioner with bad fields, naming each', async () => {
    const response = await api<{ errors: { field: string }[] }>('POST', '/v1/agents', {
      body: {
        name: uniqueName('k8s-bad'),
        type: 'worker',
        config: {
          provisioner: {
            type: 'kubernetes',
            namespace: 'kube-system',
            env: { KAFKA_BROKERS: 'elsewhere:9092' },
            resources: { limits: { memory: 'a lot' } },
          },
        },
      },
    });
    expect(response.status).toBe(422);
    expect(response.contentType).toContain('application/problem+json');
    expect(response.body.errors.map((e) => e.field)).toEqual([
      'config.provisioner.image',
      'config.provisioner.namespace',
      'config.provisioner.env.KAFKA_BROKERS',
      'config.provisioner.resources.limits.memory',
    ]);
  });

  it('creates the Deployment: image, labels, SDK environment, min_instances replicas', async () => {
    const created = await eventually(deployment, 20_000, 'the Deployment');
    expect(created.metadata.namespace).toBe('baton-agents');
    expect(created.metadata.labels).toEqual({
      'app.kubernetes.io/managed-by': 'baton-agent-manager',
      'baton.dev/workspace': 'default',
      'baton.dev/agent': name,
    });
    expect(created.spec.replicas).toBe(1);
    const pod = (created.spec.template as { spec: PodSpec }).spec;
    expect(pod.containers[0].image).toBe('registry.example.com/agents/echo:1.0');
    // On a SASL broker (the suite's default) the pod is the workspace's worker principal, its
    // password from a Secret the operator creates; never agent-manager's own credential.
    const credential = platformState().kafkaSecurity
      ? [
          { name: 'KAFKA_SASL_MECHANISM', value: 'scram-sha-512' },
          { name: 'KAFKA_SASL_USERNAME', value: 'baton-worker-default' },
          {
            name: 'KAFKA_SASL_PASSWORD',
            valueFrom: { secretKeyRef: { name: 'baton-worker-default-kafka', key: 'password' } },
          },
        ]
      : [];
    expect(pod.containers[0].env).toEqual([
      { name: 'MODE', value: 'fast' },
      ...credential,
      // AGENT_KUBERNETES_KAFKA_BROKERS: Kafka as pods see it, not agent-manager's address.
      { name: 'KAFKA_BROKERS', value: 'kafka.baton.svc:9092' },
      { name: 'BATON_AGENT', value: name },
      { name: 'BATON_WORKSPACE', value: 'default' },
      { name: 'BATON_INSTANCE_ID', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ]);
    expect(pod.containers[0].resources).toEqual({
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { memory: '256Mi' },
    });
    // AGENT_DECOMMISSION_GRACE_MS (30 s by default) is how long a pod may drain.
    expect(pod.terminationGracePeriodSeconds).toBe(30);
    const create = fake.requests.find((r) => r.method === 'POST');
    expect(create).toMatchObject({
      path: '/apis/apps/v1/namespaces/baton-agents/deployments',
      status: 201,
    });
    const list = fake.requests.find((r) => r.method === 'GET');
    expect(list?.query.get('labelSelector')).toBe(
      'app.kubernetes.io/managed-by=baton-agent-manager',
    );
    const view = await eventually(
      async () => ((await provisioning())?.ready_replicas === 1 ? provisioning() : undefined),
      20_000,
      'ready replicas on the agent',
    );
    expect(view).toMatchObject({ type: 'kubernetes', replicas: 1, error: null, deleted_at: null });
  });

  it('scales the Deployment with the backlog through the scale subresource, up and back down', async () => {
    await Promise.all(
      Array.from({ length: 6 }, (_, n) => orchestrate.submitTask({ agent_id: name, input: { n } })),
    );
    // 6 queued tasks at 2 per instance ask for 3, the maximum.
    await replicas(3);
    const scale = fake.requests.find((r) => r.method === 'PATCH' && r.path.endsWith('/scale'));
    expect(scale).toMatchObject({
      contentType: 'application/json-patch+json',
      body: [{ op: 'add', path: '/spec/replicas', value: 3 }],
      status: 200,
    });
    // The pods the Deployment would run, played by a worker in the test: it drains the backlog.
    worker = new AgentWorker({
      agent: name,
      brokers: platformState().kafkaBrokers.split(','),
      heartbeatIntervalMs: 500,
      handler: (input) => ({ echo: input }),
    });
    await worker.start();
    await replicas(1);
    const counts = fake.requests
      .filter((r) => r.method === 'PATCH' && r.path.endsWith('/scale'))
      .map((r) => (r.body as { value: number }[])[0].value);
    // Down one at a time, each after the cooldown.
    expect(counts).toEqual([3, 2, 1]);
  }, 90_000);

  it('shows a failing Kubernetes API on the agent and recovers when it answers again', async () => {
    fake.fail('GET', /\/deployments$/, 500);
    const failing = await eventually(
      async () => ((await provisioning())?.error ? provisioning() : undefined),
      20_000,
      'the error on the agent',
    );
    expect(failing?.error).toBe(
      'list deployments in baton-agents: HTTP 500: injected InternalError',
    );
    fake.heal();
    await worker?.stop();
    worker = undefined;
    fake.fail('PATCH', /\/scale$/, 403);
    await orchestrate.submitTask({ agent_id: name, input: { n: 'more' } });
    await orchestrate.submitTask({ agent_id: name, input: { n: 'more' } });
    await orchestrate.submitTask({ agent_id: name, input: { n: 'more' } });
    const forbidden = await eventually(
      async () => ((await provisioning())?.error?.includes('403') ? provisioning() : undefined),
      20_000,
      'the 403 on the agent',
    );
    expect(forbidden).toMatchObject({
      replicas: 1,
      error: expect.stringMatching(/^scale deployment baton-k8s-.*: HTTP 403: injected Forbidden$/),
    });
    // agent-manager is still serving.
    expect((await api('GET', `/v1/agents/${name}/instances`)).status).toBe(200);
    fake.heal();
    await replicas(2);
    await eventually(
      async () => ((await provisioning())?.error === null ? true : undefined),
      20_000,
      'the error to clear',
    );
  }, 90_000);

  it('rolls out a new image when the agent changes', async () => {
    const response = await api('PATCH', `/v1/agents/${name}`, {
      body: {
        config: {
          provisioner: {
            type: 'kubernetes',
            image: 'registry.example.com/agents/echo:2.0',
            tasks_per_instance: 2,
            cooldown_ms: 1_000,
          },
        },
      },
    });
    expect(response.status).toBe(200);
    const updated = await eventually(
      async () => {
        const d = await deployment();
        const image = (d?.spec.template as { spec: PodSpec } | undefined)?.spec.containers[0].image;
        return image === 'registry.example.com/agents/echo:2.0' ? d : undefined;
      },
      20_000,
      'the new image',
    );
    const pod = (updated.spec.template as { spec: PodSpec }).spec;
    // The whole template is replaced: resources the agent no longer sets are gone.
    expect(pod.containers[0].resources).toBeUndefined();
  });

  it('deletes the Deployment on decommission and keeps the record readable', async () => {
    const { namespace, deployment: deploymentName } = (await provisioning())!;
    expect((await api('DELETE', `/v1/agents/${name}`)).status).toBe(202);
    await eventually(
      async () => (fake.deployment(namespace, deploymentName) ? undefined : true),
      20_000,
      'the Deployment to be deleted',
    );
    const remove = fake.requests.find((r) => r.method === 'DELETE');
    expect(remove).toMatchObject({
      path: `/apis/apps/v1/namespaces/${namespace}/deployments/${deploymentName}`,
      status: 200,
    });
    const view = await eventually(
      async () => ((await provisioning())?.deleted_at ? provisioning() : undefined),
      20_000,
      'deleted_at on the agent',
    );
    expect(view).toMatchObject({ replicas: 0, ready_replicas: 0 });
  });

  it("never shows the cluster's token in an answer or in agent-manager's log", async () => {
    expect(JSON.stringify(await agent())).not.toContain(FAKE_KUBERNETES.token);
    const log = platformState().services.find((s) => s.name === 'agent-manager')!.logFile;
    const text = fs.readFileSync(log, 'utf8');
    expect(text).toContain('kubernetes provisioning on');
    expect(text).not.toContain(FAKE_KUBERNETES.token);
  });
});
