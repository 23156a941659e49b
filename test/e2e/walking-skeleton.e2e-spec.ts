import { AgentWorker, type OrchestratePlatform } from '@baton/sdk';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { exampleAgents } from '../../examples/agents/customer-service.agents';
import { api, eventually, metricsUrl, platformState, sdk } from './support/platform';
import { WebhookReceiver } from './support/webhook-receiver';

const SEED_WORKFLOW = fs.readFileSync(
  path.join(__dirname, '../../examples/workflows/customer-inquiry-handler.yaml'),
  'utf8',
);

/**
 * The seed's customer-inquiry-handler, end to end across all six services:
 * gateway (HTTP), security-manager (API key, audit), agent-manager (registry),
 * workflow-engine (the run), SDK workers (the agents), integration-manager
 * (send-message to a webhook) and event-manager (the stored run events).
 */
describe('walking skeleton: the seed workflow across all six services', () => {
  let orchestrate: OrchestratePlatform;
  const inbox = new WebhookReceiver();
  const workers: AgentWorker[] = [];

  beforeAll(async () => {
    orchestrate = sdk();
    for (const agent of exampleAgents) await orchestrate.registerAgent(agent.registration);
    for (const agent of exampleAgents) {
      workers.push(
        new AgentWorker({
          agent: agent.registration.name,
          handler: agent.handler,
          brokers: platformState().kafkaBrokers.split(','),
        }),
      );
    }
    await Promise.all(workers.map((w) => w.start()));
    const inboxUrl = await inbox.start();
    const connection = await api('POST', '/v1/connections', {
      body: {
        name: 'default',
        connector: 'webhook',
        config: { url: `${inboxUrl}/messages` },
        secrets: { signing_secret: 'e2e-signing-secret' },
      },
    });
    expect([200, 201]).toContain(connection.status);
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await inbox.stop();
  });

  it('answers health on every service, and metrics on its metrics port', async () => {
    for (const service of platformState().services) {
      const ready = await fetch(`http://127.0.0.1:${service.port}/health/ready`);
      expect({ service: service.name, status: ready.status }).toEqual({
        service: service.name,
        status: 200,
      });
      const metrics = await (await fetch(metricsUrl(service.port))).text();
      expect(metrics).toContain(`process_cpu_user_seconds_total{service="baton-${service.name}"}`);
    }
  });

  it('refuses a request without an API key with problem+json', async () => {
    const response = await api('GET', '/v1/agents', { apiKey: null });
    expect(response.status).toBe(401);
    expect(response.contentType).toContain('application/problem+json');
    expect(response.body).toMatchObject({ status: 401, code: 'AUTH.UNAUTHENTICATED' });
    const wrong = await api('GET', '/v1/agents', { apiKey: 'bk_not_a_real_key_at_all_0000' });
    expect(wrong.status).toBe(401);
  });

  it('stores registered agents (agent-manager) and lists them by capability', async () => {
    const agent = await orchestrate.getAgent('classification-agent');
    expect(agent).toMatchObject({
      name: 'classification-agent',
      type: 'classifier',
      max_instances: 3,
      version: 1,
    });
    const chatters = await orchestrate.listAgents({ capability: 'chat' });
    expect(chatters.items.map((a) => a.name).sort()).toEqual([
      'billing-agent',
      'general-support-agent',
      'tech-support-agent',
    ]);
    // Registering the same definition again is safe and answers the same agent.
    const again = await api('POST', '/v1/agents', { body: exampleAgents[0].registration });
    expect(again.status).toBe(200);
  });

  it('runs the seed workflow verbatim, every step through Kafka, and delivers the answer', async () => {
    const created = await api('POST', '/v1/workflows', {
      raw: SEED_WORKFLOW,
      contentType: 'application/yaml',
    });
    expect([200, 201]).toContain(created.status);
    expect(created.body).toMatchObject({
      name: 'customer-inquiry-handler',
      steps: ['classify-inquiry', 'route-to-specialist', 'process-inquiry', 'send-response'],
    });

    const started = await orchestrate.startRun('customer-inquiry-handler', {
      text: 'I was charged twice on my last invoice',
      customer: 'Ada',
    });
    expect(started.status).toBe('running');
    const run = await orchestrate.waitForRun(started.id, 30_000);

    expect(run.status).toBe('completed');
    expect(run.steps.map((s) => [s.name, s.status, s.attempts])).toEqual([
      ['classify-inquiry', 'completed', 1],
      ['route-to-specialist', 'completed', 1],
      ['process-inquiry', 'completed', 1],
      ['send-response', 'completed', 1],
    ]);
    const [classify, route, processStep, send] = run.steps;
    expect(classify.input).toEqual({
      text: 'I was charged twice on my last invoice',
      customer: 'Ada',
    });
    expect(classify.output).toMatchObject({ category: 'billing' });
    expect(route.input).toEqual(classify.output);
    expect(route.output).toEqual({ specialist: 'billing-agent' });
    expect(processStep.agent).toBe('billing-agent');
    expect(processStep.input).toEqual({
      text: 'I was charged twice on my last invoice',
      customer: 'Ada',
      category: 'billing',
    });
    expect(send.action).toBe('send-message');
    expect(send.output).toMatchObject({ delivered: true, status: 200 });
    for (const step of run.steps) {
      expect(step.started_at).not.toBeNull();
      expect(step.duration_ms).toBeGreaterThanOrEqual(0);
    }

    // integration-manager delivered the specialist's answer to the configured channel, signed.
    const message = await eventually(
      async () => inbox.received.find((r) => r.body.includes(run.id)),
      10_000,
      'webhook',
    );
    const delivered = JSON.parse(message.body) as { message: string; run_id: string };
    expect(delivered.message).toContain('Hello Ada');
    expect(delivered.message).toContain('refund');
    expect(String(message.headers['x-baton-signature'])).toMatch(/^sha256=[0-9a-f]{64}$/);

    const deliveries = await api<{ items: { status: string; action: string }[] }>(
      'GET',
      `/v1/deliveries?run_id=${run.id}`,
    );
    expect(deliveries.body.items).toEqual([
      expect.objectContaining({ status: 'delivered', action: 'send-message' }),
    ]);
  });

  it('stores every run transition in the event store (event-manager) and audits changes (security-manager)', async () => {
    const runs = await api<{ items: { id: string; status: string }[] }>(
      'GET',
      '/v1/runs?workflow=customer-inquiry-handler&status=completed',
    );
    expect(runs.body.items.length).toBeGreaterThanOrEqual(1);
    const runId = runs.body.items[0].id;
    const types = await eventually(
      async () => {
        const events = await api<{ items: { type: string; subject: string }[] }>(
          'GET',
          `/v1/events?subject=${runId}&limit=100`,
        );
        const seen = events.body.items.map((e) => e.type);
        return seen.includes('workflow.run.completed') ? seen : undefined;
      },
      15_000,
      'run events in the store',
    );
    expect(types).toEqual(
      expect.arrayContaining([
        'workflow.run.started',
        'workflow.step.started',
        'workflow.step.completed',
        'workflow.run.completed',
      ]),
    );
    expect(types.filter((t) => t === 'workflow.step.completed')).toHaveLength(4);

    const audit = await eventually(
      async () => {
        const page = await api<{ items: { action: string; outcome: string }[] }>(
          'GET',
          '/v1/audit?action=workflow.create',
        );
        return page.body.items.some((e) => e.action === 'workflow.create')
          ? page.body.items
          : undefined;
      },
      15_000,
      'audit entries',
    );
    expect(audit).toEqual(
      expect.arrayContaining([
        // Recorded by workflow-engine, in the transaction that stored the workflow.
        expect.objectContaining({
          action: 'workflow.create',
          source: 'workflow-engine',
          outcome: 'success',
        }),
      ]),
    );
  });

  it('answers the same run for the same Idempotency-Key', async () => {
    const first = await orchestrate.startRun(
      'customer-inquiry-handler',
      { text: 'my login is broken' },
      { idempotencyKey: 'e2e-key-1' },
    );
    const second = await orchestrate.startRun(
      'customer-inquiry-handler',
      { text: 'my login is broken' },
      { idempotencyKey: 'e2e-key-1' },
    );
    expect(second.id).toBe(first.id);
    const run = await orchestrate.waitForRun(first.id);
    expect(run.steps[2].agent).toBe('tech-support-agent');
  });

  it('starts one run for concurrent requests with the same Idempotency-Key, and one per request without', async () => {
    // Requests that reach the engine together are started in one transaction: the
    // duplicates inside that batch and across batches must all answer the one run.
    const path = '/v1/workflows/customer-inquiry-handler/runs';
    const body = { input: { text: 'my login is broken, again' } };
    const keyed = await Promise.all(
      Array.from({ length: 8 }, () =>
        api('POST', path, { body, headers: { 'idempotency-key': 'e2e-key-concurrent' } }),
      ),
    );
    const ids = new Set(keyed.map((r) => (r.body as { id: string }).id));
    expect(ids.size).toBe(1);
    expect(keyed.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    const unkeyed = await Promise.all(Array.from({ length: 8 }, () => api('POST', path, { body })));
    expect(unkeyed.every((r) => r.status === 201)).toBe(true);
    expect(new Set(unkeyed.map((r) => (r.body as { id: string }).id)).size).toBe(8);
    const run = await orchestrate.waitForRun([...ids][0]);
    expect(run.status).toBe('completed');
  });

  it("carries the caller's W3C trace through HTTP, Kafka, the outbox and the agents", async () => {
    const traceId = [...Array(32)].map(() => Math.floor(Math.random() * 16).toString(16)).join('');
    const started = await api<{ id: string }>(
      'POST',
      '/v1/workflows/customer-inquiry-handler/runs',
      {
        body: { input: { text: 'where is my parcel?' } },
        headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      },
    );
    expect(started.status).toBe(201);
    const events = await eventually(
      async () => {
        const page = await api<{ items: { type: string; traceparent: string | null }[] }>(
          'GET',
          `/v1/events?subject=${started.body.id}&limit=100`,
        );
        return page.body.items.some((e) => e.type === 'workflow.run.completed')
          ? page.body.items
          : undefined;
      },
      30_000,
      'the run to complete',
    );
    const traceIds = new Set(events.map((e) => e.traceparent?.split('-')[1]));
    expect([...traceIds]).toEqual([traceId]);
  });
});
