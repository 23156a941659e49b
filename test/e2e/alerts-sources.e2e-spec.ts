import type { AlertView, Page } from '@baton/contracts';
import { OrchestratePlatform } from '@baton/sdk';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { api, eventually, kafka, platformState } from './support/platform';
import { uniqueName } from './support/scripted-server';
import { workspaceWithKeys } from './support/workspaces';

jest.setTimeout(300_000);

type Problem = { status: number; errors?: { field: string; message: string }[] };

/**
 * Where alert figures come from, each read from the real thing (docs/alerts.md):
 * connection-scoped rules and breaker_open from integration-manager's calls and
 * breakers, queue_lag from the agent's task topic on the broker, dead_letters from
 * the baton.dlq.* topics, and the platform's self-watch rules from every
 * service's status reports. Rules are evaluated every second here.
 */
describe('alert figures: connections, queue lag, dead letters, the platform watching itself', () => {
  let workspace: string;
  let key: string;
  let orchestrate: OrchestratePlatform;

  const as = <T>(method: string, path: string, body?: unknown) =>
    api<T>(method, path, { apiKey: key, ...(body !== undefined ? { body } : {}) });

  /** A rule's values once an evaluation has produced `ready(values)`. */
  const valuesOf = (name: string, ready: (values: AlertView['last_values']) => boolean) =>
    eventually(
      async () => {
        const rule = await as<AlertView>('GET', `/v1/alerts/${name}`);
        return ready(rule.body.last_values ?? {}) ? rule.body : undefined;
      },
      60_000,
      `values of ${name}`,
    );

  beforeAll(async () => {
    ({
      id: workspace,
      keys: [key],
    } = await workspaceWithKeys('alert-sources'));
    orchestrate = new OrchestratePlatform({
      apiKey: key,
      endpoint: platformState().gatewayUrl,
      workspaceId: workspace,
    });
  });

  it('ships the self-watch rules in the platform workspace, fed by every service’s reports', async () => {
    const listed = await api<Page<AlertView>>('GET', '/v1/alerts');
    expect(listed.status).toBe(200);
    const names = listed.body.items.map((rule) => rule.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'baton-dead-letters-growing',
        'baton-consumer-lag-growing',
        'baton-service-not-ready',
      ]),
    );
    const notReady = listed.body.items.find((rule) => rule.name === 'baton-service-not-ready')!;
    expect(notReady).toMatchObject({
      condition: 'services_not_ready > 0',
      for: '2m',
      severity: 'critical',
      scope: { platform: true },
      notification_channels: ['admin'],
    });
    // All six services report ready (every 15 s): none is counted, and the lag is a number.
    const rule = await eventually(
      async () => {
        const got = await api<AlertView>('GET', '/v1/alerts/baton-service-not-ready');
        return got.body.last_values?.['services_not_ready[5m]'] === 0 ? got.body : undefined;
      },
      90_000,
      'every service reporting ready',
    );
    expect(rule.state).toBe('ok');
    const lag = await eventually(
      async () => {
        const got = await api<AlertView>('GET', '/v1/alerts/baton-consumer-lag-growing');
        const value = got.body.last_values?.['consumer_lag[5m]'];
        return typeof value === 'number' ? value : undefined;
      },
      60_000,
      'the consumer lag figure',
    );
    expect(lag).toBeGreaterThanOrEqual(0);
  });

  it('refuses a platform rule outside the platform workspace', async () => {
    const refused = await as<Problem>('POST', '/v1/alerts', {
      name: 'not-mine',
      condition: 'services_not_ready > 0',
      notification_channels: ['admin'],
      severity: 'warning',
      scope: { platform: true },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.errors?.[0]?.field).toBe('scope.platform');
    const metric = await as<Problem>('POST', '/v1/alerts', {
      name: 'not-mine-either',
      condition: 'consumer_lag > 10',
      notification_channels: ['admin'],
      severity: 'warning',
    });
    expect(metric.status).toBe(422);
    expect(metric.body.errors?.[0]?.field).toBe('condition');
  });

  it('counts what is dead-lettered on baton.dlq.* for the workspace the message carried', async () => {
    const name = uniqueName('dlq');
    const created = await as<{ name: string }>('POST', '/v1/alerts', {
      name,
      condition: 'dead_letters > 0',
      notification_channels: ['admin'],
      severity: 'warning',
    });
    expect(created.status).toBe(201);
    expect((await valuesOf(name, (v) => v['dead_letters[5m]'] === 0)).state).toBe('ok');
    // JSON that is no envelope, on a topic event-manager's store reads: it is dead-lettered.
    const producer = kafka('e2e-dead-letters').producer();
    await producer.connect();
    await producer.send({
      topic: 'baton.workflow.events',
      messages: [{ key: workspace, value: JSON.stringify({ workspaceid: workspace, oops: 1 }) }],
    });
    await producer.disconnect();
    const fired = await valuesOf(name, (v) => (v['dead_letters[5m]'] ?? 0) >= 1);
    expect(fired.last_values['dead_letters[5m]']).toBeGreaterThanOrEqual(1);
    await eventually(
      async () =>
        (await as<AlertView>('GET', `/v1/alerts/${name}`)).body.state === 'firing'
          ? true
          : undefined,
      30_000,
      'the rule firing',
    );
    // The platform rule counts it too.
    await eventually(
      async () => {
        const got = await api<AlertView>('GET', '/v1/alerts/baton-dead-letters-growing');
        return (got.body.last_values?.['dead_letters[10m]'] ?? 0) >= 1 ? true : undefined;
      },
      60_000,
      'the platform dead-letter count',
    );
  });

  it('reads queue_lag as the consumer lag of the agent’s task topic', async () => {
    const agent = uniqueName('idle');
    await orchestrate.registerAgent({ name: agent, type: 'worker' });
    const name = uniqueName('lag');
    expect(
      (
        await as('POST', '/v1/alerts', {
          name,
          condition: 'queue_lag >= 3',
          notification_channels: ['admin'],
          severity: 'warning',
          scope: { agent },
        })
      ).status,
    ).toBe(201);
    // No worker serves it: three submitted tasks wait on its topic, uncommitted.
    for (let i = 0; i < 3; i++) await orchestrate.submitTask({ agent_id: agent, input: { i } });
    const rule = await valuesOf(name, (v) => v['queue_lag[5m]'] === 3);
    expect(rule.last_values['queue_lag[5m]']).toBe(3);
  });

  it('scopes rules to a connection: its error rate and its breaker, across replicas', async () => {
    const missing = await as<Problem>('POST', '/v1/alerts', {
      name: uniqueName('nope'),
      condition: 'breaker_open == 1',
      notification_channels: ['admin'],
      severity: 'warning',
      scope: { connection: 'no-such-connection' },
    });
    expect(missing.status).toBe(404);
    const queueLag = await as<Problem>('POST', '/v1/alerts', {
      name: uniqueName('nope'),
      condition: 'queue_lag > 1',
      notification_channels: ['admin'],
      severity: 'warning',
      scope: { connection: 'no-such-connection' },
    });
    expect(queueLag.status).toBe(422);

    // A port nothing listens on.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const connection = uniqueName('down');
    const made = await as('POST', '/v1/connections', {
      name: connection,
      connector: 'http',
      config: {
        base_url: `http://127.0.0.1:${port}`,
        resilience: { retries: 0, breaker_min_calls: 2, breaker_reset_ms: 600_000 },
      },
    });
    expect(made.status).toBe(201);
    const breaker = uniqueName('breaker');
    const errors = uniqueName('errors');
    for (const [rule, condition] of [
      [breaker, 'breaker_open == 1'],
      [errors, 'error_rate > 0.5 and p95_latency_ms >= 0'],
    ])
      expect(
        (
          await as('POST', '/v1/alerts', {
            name: rule,
            condition,
            notification_channels: ['admin'],
            severity: 'critical',
            scope: { connection },
          })
        ).status,
      ).toBe(201);
    expect((await valuesOf(breaker, (v) => v['breaker_open[5m]'] === 0)).state).toBe('ok');

    const workflow = uniqueName('call-down');
    await orchestrate.createWorkflow({
      name: workflow,
      steps: [
        {
          name: 'call',
          action: `${connection}.request`,
          input: { path: '/x' },
          retry: { max_attempts: 1 },
        },
      ],
    });
    for (let i = 0; i < 3; i++) {
      const started = await orchestrate.startRun(workflow, {});
      expect((await orchestrate.waitForRun(started.id, 60_000)).status).toBe('failed');
    }
    const open = await valuesOf(breaker, (v) => v['breaker_open[5m]'] === 1);
    expect(open.last_values['breaker_open[5m]']).toBe(1);
    const failing = await valuesOf(errors, (v) => v['error_rate[5m]'] === 1);
    expect(failing.last_values['p95_latency_ms[5m]']).toEqual(expect.any(Number));
    // The workspace's breaker_open counts open connection breakers too.
    const workspaceRule = uniqueName('any-breaker');
    await as('POST', '/v1/alerts', {
      name: workspaceRule,
      condition: 'breaker_open > 0',
      notification_channels: ['admin'],
      severity: 'warning',
    });
    await valuesOf(workspaceRule, (v) => (v['breaker_open[5m]'] ?? 0) >= 1);
    for (const rule of [breaker, errors])
      await eventually(
        async () =>
          (await as<AlertView>('GET', `/v1/alerts/${rule}`)).body.state === 'firing'
            ? true
            : undefined,
        30_000,
        `${rule} firing`,
      );
  });
});
