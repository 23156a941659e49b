import type {
  AlertHistoryEntryView,
  AlertView,
  IncidentView,
  NotificationChannelView,
  Page,
} from '@baton/contracts';
import { OrchestratePlatform } from '@baton/sdk';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { api, eventually, platformState, sdk } from './support/platform';
import { ScriptedServer, uniqueName } from './support/scripted-server';
import { WebhookReceiver } from './support/webhook-receiver';
import { workspaceWithKeys } from './support/workspaces';

jest.setTimeout(300_000);

type Problem = { status: number; detail: string; errors?: { field: string; message: string }[] };

interface Mail {
  to: string[];
  raw: string;
}

/**
 * The Done-when: the seed's create_alert call through the SDK, an
 * agent failing more than 5 % of 200 invocations, one notification on a real
 * SMTP server and on a webhook receiver (a Slack incoming webhook), and one
 * resolved notice after recovery. The platform evaluates alerts every second
 * here (ALERT_EVALUATION_INTERVAL_MS in the e2e setup).
 */
describe('alerts: the seed create_alert call notifies email and slack once, then resolves', () => {
  let workspace: string;
  let key: string;
  let orchestrate: OrchestratePlatform;
  const mails: Mail[] = [];
  let smtp: SMTPServer;
  const slack = new WebhookReceiver();
  const hook = new WebhookReceiver();
  let slackUrl: string;
  let hookUrl: string;
  let smtpPort: number;
  // The agent's remote endpoint: inputs with `fail` answer 500, the rest 200.
  const remote = new ScriptedServer((request) =>
    (request.json as { input?: { fail?: boolean } } | undefined)?.input?.fail ||
    (request.json as { fail?: boolean } | undefined)?.fail
      ? { status: 500, body: { error: 'downstream is down' } }
      : { body: { ok: true } },
  );
  const agent = uniqueName('flaky');

  const as = <T>(method: string, path: string, body?: unknown) =>
    api<T>(method, path, { apiKey: key, ...(body !== undefined ? { body } : {}) });

  beforeAll(async () => {
    ({
      id: workspace,
      keys: [key],
    } = await workspaceWithKeys('alerts'));
    orchestrate = new OrchestratePlatform({
      apiKey: key,
      endpoint: platformState().gatewayUrl,
      workspaceId: workspace,
    });
    smtp = new SMTPServer({
      secure: false,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          mails.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
    smtpPort = (smtp as unknown as { server: { address(): AddressInfo } }).server.address().port;
    slackUrl = await slack.start();
    hookUrl = await hook.start();
    await remote.start();
    await orchestrate.registerAgent({
      name: agent,
      type: 'worker',
      runtime: 'http',
      config: { url: `${remote.url}/work` },
    });
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await Promise.all([slack.stop(), hook.stop(), remote.stop()]);
  });

  it('creates channels of each kind; secrets are never shown again', async () => {
    const email = await orchestrate.createNotificationChannel({
      name: 'oncall-mail',
      kind: 'email',
      config: {
        host: '127.0.0.1',
        port: smtpPort,
        require_tls: false,
        from: 'Baton <alerts@baton.test>',
        to: ['oncall@baton.test'],
      },
    });
    expect(email).toMatchObject({ name: 'oncall-mail', kind: 'email', pending: 0 });
    const chat = await orchestrate.createNotificationChannel({
      name: 'ops-chat',
      kind: 'slack',
      config: { webhook_url: `${slackUrl}/services/T000/B000/secret-token` },
      admin: true,
    });
    expect(JSON.stringify(chat)).not.toContain('secret-token');
    const listed = await as<Page<NotificationChannelView>>('GET', '/v1/notification-channels');
    expect(listed.body.items.map((c) => c.name)).toEqual(['oncall-mail', 'ops-chat']);
    expect(JSON.stringify(listed.body)).not.toContain('secret-token');
  });

  it("takes the seed's create_alert call through the SDK", async () => {
    const alert = await orchestrate.createAlert({
      name: 'high-error-rate',
      condition: 'error_rate > 0.05',
      notification_channels: ['email', 'slack'],
      severity: 'critical',
    });
    expect(alert).toMatchObject({
      name: 'high-error-rate',
      condition: 'error_rate > 0.05',
      notification_channels: ['email', 'slack'],
      severity: 'critical',
      window: '5m',
      state: 'ok',
    });
    const listed = await orchestrate.listAlerts();
    expect(listed.items.map((a) => a.name)).toEqual(['high-error-rate']);
    // The same call again (a retried POST) answers the rule as it is.
    const again = await as<AlertView>('POST', '/v1/alerts', {
      name: 'high-error-rate',
      condition: 'error_rate > 0.05',
      notification_channels: ['email', 'slack'],
      severity: 'critical',
    });
    expect(again.status).toBe(200);
  });

  it('notifies email and slack once when more than 5 % of 200 invocations fail', async () => {
    const outcomes = await invokeMany(200, (n) => n % 10 === 3);
    expect(outcomes.failed).toBe(20);
    expect(outcomes.completed).toBe(180);

    await eventually(
      async () => (mails.length >= 1 && slack.received.length >= 1 ? true : undefined),
      30_000,
      'the firing notification by email and slack',
    );
    const mail = mails[0];
    expect(mail.to).toEqual(['oncall@baton.test']);
    expect(mail.raw).toContain('Subject: [critical] high-error-rate is firing');
    // The rule is evaluated while the invokes run, and the figures count results as
    // agent-manager consumes them: it fires on whatever share of the 200 it has seen first,
    // at a rate above its threshold (the exact 0.1 is checked below, once all are counted).
    const reported = Number(/error_rate\[5m\] = ([0-9.]+)/.exec(mail.raw)?.[1]);
    expect(reported).toBeGreaterThan(0.05);
    expect(reported).toBeLessThanOrEqual(1);
    const message = JSON.parse(slack.received[0].body) as { text: string };
    expect(slack.received[0].path).toBe('/services/T000/B000/secret-token');
    expect(message.text).toContain('high-error-rate is firing');

    // Several evaluation rounds later the rule still fires, and nothing more was sent.
    await pause(4_000);
    expect(mails).toHaveLength(1);
    expect(slack.received).toHaveLength(1);
    const alert = await eventually(
      async () => {
        const got = await as<AlertView>('GET', '/v1/alerts/high-error-rate');
        return got.body.last_values?.['error_rate[5m]'] === 0.1 ? got.body : undefined;
      },
      30_000,
      'the rule evaluated over all 200 results',
    );
    expect(alert).toMatchObject({ state: 'firing', last_values: { 'error_rate[5m]': 0.1 } });
    const history = await as<Page<AlertHistoryEntryView>>(
      'GET',
      '/v1/alerts/high-error-rate/history',
    );
    expect(history.body.items).toHaveLength(1);
    expect(history.body.items[0]).toMatchObject({ from: 'ok', to: 'firing' });
    expect(history.body.items[0].notifications.map((n) => [n.channel, n.status]).sort()).toEqual([
      ['oncall-mail', 'sent'],
      ['ops-chat', 'sent'],
    ]);
    // The transition is an event in the store, so subscriptions and routes can see it.
    const events = await as<Page<{ type: string; data: { to: string } }>>(
      'GET',
      '/v1/events?type=alert.state.changed',
    );
    expect(events.body.items.map((e) => e.data.to)).toEqual(['firing']);
  });

  it('summarises the same figures at GET /v1/metrics/summary', async () => {
    const summary = await eventually(
      async () => {
        const got = await orchestrate.getMetricsSummary('15m');
        return got.agents.tasks === 200 ? got : undefined;
      },
      30_000,
      'all 200 results counted',
    );
    expect(summary).toMatchObject({ window: '15m', window_seconds: 900 });
    expect(summary.agents.tasks).toBe(200);
    expect(summary.agents.error_rate).toBeCloseTo(0.1, 5);
    expect(summary.agents.success_rate).toBeCloseTo(0.9, 5);
    expect(summary.agents.response_ms.p95).not.toBeNull();
    expect(summary.agents.by_agent).toEqual([
      expect.objectContaining({ agent, tasks: 200, error_rate: 0.1 }),
    ]);
    expect(summary.alerts).toEqual({ firing: 1, pending: 0 });
    const bad = await as<Problem>('GET', '/v1/metrics/summary?window=forever');
    expect([400, 422]).toContain(bad.status);
    expect(bad.body.errors?.[0].field).toBe('window');
  });

  it('sends one resolved notice after recovery', async () => {
    // 220 good answers bring the window's error rate to 20 / 420 (4.8 %).
    const outcomes = await invokeMany(220, () => false);
    expect(outcomes.completed).toBe(220);
    await eventually(
      async () => (mails.length >= 2 && slack.received.length >= 2 ? true : undefined),
      30_000,
      'the resolved notice by email and slack',
    );
    expect(mails[1].raw).toContain('Subject: [critical] high-error-rate is resolved');
    expect((JSON.parse(slack.received[1].body) as { text: string }).text).toContain(
      'high-error-rate is resolved',
    );
    await pause(4_000);
    expect(mails).toHaveLength(2);
    expect(slack.received).toHaveLength(2);
    const history = await as<Page<AlertHistoryEntryView>>(
      'GET',
      '/v1/alerts/high-error-rate/history',
    );
    expect(history.body.items.map((h) => [h.from, h.to])).toEqual([
      ['resolved', 'ok'],
      ['firing', 'resolved'],
      ['ok', 'firing'],
    ]);
  });

  it('a signed webhook channel, a silenced rule and a failing channel that keeps its notification', async () => {
    const created = await as<NotificationChannelView>('POST', '/v1/notification-channels', {
      name: 'pager-hook',
      kind: 'webhook',
      config: { url: `${hookUrl}/baton` },
    });
    expect(created.status).toBe(201);
    expect(created.body.signing_secret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const fetched = await as<NotificationChannelView>(
      'GET',
      '/v1/notification-channels/pager-hook',
    );
    expect(fetched.body.signing_secret).toBeUndefined();

    hook.status = 503;
    const rule = await as<AlertView>('POST', '/v1/alerts', {
      name: 'agent-busy',
      condition: 'success_rate[10m] >= 0.5 and p95_latency_ms >= 0',
      notification_channels: ['pager-hook'],
      severity: 'warning',
      scope: { agent },
    });
    expect(rule.status).toBe(201);
    await eventually(
      async () => (hook.received.length >= 2 ? true : undefined),
      30_000,
      'retried webhook attempts',
    );
    const signature = hook.received[0].headers['baton-signature'];
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const failing = await as<NotificationChannelView>(
      'GET',
      '/v1/notification-channels/pager-hook',
    );
    expect(failing.body.pending).toBe(1);
    expect(failing.body.last_error).toBe('the channel answered HTTP 503');
    hook.status = 200;
    await eventually(
      async () => {
        const channel = await as<NotificationChannelView>(
          'GET',
          '/v1/notification-channels/pager-hook',
        );
        return channel.body.pending === 0 ? true : undefined;
      },
      30_000,
      'the queued notification sent once the channel answers',
    );
    const delivered = hook.received.filter((r) => r.body.includes('"state":"firing"'));
    const ids = new Set(delivered.map((r) => r.headers['baton-notification-id']));
    expect(ids.size).toBe(1);

    // Silenced: the transition is recorded, nothing is sent.
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const silenced = await as<AlertView>('POST', '/v1/alerts/agent-busy/silence', { until });
    expect(silenced.body.silenced_until).toBe(until);
    const patched = await as<AlertView>('PATCH', '/v1/alerts/agent-busy', {
      condition: 'success_rate[10m] > 2',
    });
    expect(patched.body).toMatchObject({ state: 'ok', condition: 'success_rate[10m] > 2' });
    const sentBefore = hook.received.length;
    const removed = await as('DELETE', '/v1/alerts/agent-busy');
    expect(removed.status).toBe(204);
    expect((await as('GET', '/v1/alerts/agent-busy')).status).toBe(404);
    expect(hook.received.length).toBe(sentBefore);
  });

  it('notify-admin notifies the admin channels; escalate opens an incident', async () => {
    await orchestrate.createWorkflow({
      name: 'alerts-notify',
      error_handlers: { system_error: 'notify-admin' },
      steps: [{ name: 'charge', agent, input: { fail: true } }],
    });
    const before = slack.received.length;
    const run = await orchestrate.startRun('alerts-notify', {});
    expect((await orchestrate.waitForRun(run.id)).status).toBe('failed');
    // The admin message (the failures may also move the workspace's error rate; match by run).
    const admin = await eventually(
      async () => slack.received.slice(before).find((r) => r.body.includes(run.id)),
      30_000,
      'the admin notification',
    );
    const text = (JSON.parse(admin.body) as { text: string }).text;
    expect(text).toContain('workflow alerts-notify step charge failed');
    expect(text).toContain(`Run: ${run.id}`);
    expect(mails.some((m) => m.raw.includes(run.id))).toBe(false); // oncall-mail is not an admin channel

    await orchestrate.createWorkflow({
      name: 'alerts-escalate',
      error_handlers: { default: 'escalate' },
      steps: [{ name: 'refund', agent, input: { fail: true } }],
    });
    const escalated = await orchestrate.startRun('alerts-escalate', {});
    const incident = await eventually(async () => {
      const list = await as<Page<IncidentView>>('GET', '/v1/incidents');
      return list.body.items.find((i) => i.run_id === escalated.id);
    }, 30_000);
    expect(incident).toMatchObject({ source: 'escalate', status: 'open', step: 'refund' });
  });

  describe('bad input', () => {
    const seed = {
      name: 'bad-rule',
      condition: 'error_rate > 0.05',
      notification_channels: ['email'],
      severity: 'critical',
    };

    it.each([
      [{ condition: 'error_rate >> 0.05' }, 'condition', /expected a number at position 12/],
      [{ condition: 'eror_rate > 0.05' }, 'condition', /unknown metric 'eror_rate' at position 0/],
      [{ condition: 'error_rate > 0.05 &&' }, 'condition', /unexpected '&&'/],
      [{ condition: 'runs_failed > 1', scope: { agent } }, 'condition', /runs_failed cannot/],
      [{ notification_channels: ['email', 'pagerduty'] }, 'notification_channels[1]', /neither/],
      [{ severity: 'apocalyptic' }, 'severity', /./],
      [{ for: 'soon' }, 'for', /duration/],
    ])('%j answers 4xx naming %s', async (change, field, message) => {
      const response = await as<Problem>('POST', '/v1/alerts', { ...seed, ...change });
      expect([400, 422]).toContain(response.status);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      const named = response.body.errors?.find((e) => e.field === field);
      expect(named?.message ?? response.body.detail).toMatch(message);
    });

    it("a rule over another workspace's agent is not found", async () => {
      const other = uniqueName('elsewhere');
      await sdk().registerAgent({ name: other, type: 'worker' });
      const response = await as<Problem>('POST', '/v1/alerts', {
        ...seed,
        scope: { agent: other },
      });
      expect(response.status).toBe(404);
      expect(response.body.detail).toContain(other);
    });

    it('a channel whose target is internal is refused (the outbound address guard)', async () => {
      const response = await as<Problem>('POST', '/v1/notification-channels', {
        name: 'metadata',
        kind: 'webhook',
        config: { url: 'http://169.254.169.254/latest/meta-data' },
      });
      expect(response.status).toBe(422);
      expect(response.body.errors?.[0].field).toBe('config.url');
      const unknownField = await as<Problem>('POST', '/v1/notification-channels', {
        name: 'loose',
        kind: 'slack',
        config: { webhook_url: `${slackUrl}/x`, channel: '#ops' },
      });
      expect(unknownField.status).toBe(422);
      expect(unknownField.body.errors?.[0].field).toBe('config.channel');
    });
  });

  /** n invocations, 10 at a time; `fails(i)` says which inputs the remote answers with 500. */
  async function invokeMany(
    count: number,
    fails: (n: number) => boolean,
  ): Promise<{ completed: number; failed: number }> {
    let completed = 0;
    let failed = 0;
    for (let start = 0; start < count; start += 10) {
      const batch = Array.from({ length: Math.min(10, count - start) }, (_, i) => start + i);
      const results = await Promise.all(
        batch.map((n) =>
          as<{ status: string }>('POST', `/v1/agents/${agent}/invoke`, {
            input: { n, fail: fails(n) },
            timeout: 10_000,
          }),
        ),
      );
      for (const result of results) {
        if (result.status === 200 && result.body.status === 'completed') completed++;
        else if (result.status === 502) failed++;
        else
          throw new Error(
            `unexpected invoke answer ${result.status} ${JSON.stringify(result.body)}`,
          );
      }
    }
    return { completed, failed };
  }
});

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
