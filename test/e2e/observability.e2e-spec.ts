import type { LogRecordView, Page } from '@baton/contracts';
import { AgentWorker, type OrchestratePlatform } from '@baton/sdk';
import { createHmac, randomUUID } from 'node:crypto';
import { api, eventually, metricsUrl, platformState, sdk } from './support/platform';
import { issueKey, workspaceWithKeys } from './support/workspaces';

const suffix = randomUUID().slice(0, 8);
const agent = `log-writer-${suffix}`;
const workflow = `logged-${suffix}`;

/** GET /v1/logs with a query; the page, or a failure naming the answer. */
async function logs(query: Record<string, string>, apiKey?: string) {
  const response = await api<Page<LogRecordView>>(
    'GET',
    `/v1/logs?${new URLSearchParams(query).toString()}`,
    apiKey ? { apiKey } : {},
  );
  if (response.status !== 200)
    throw new Error(`${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Waits until GET /v1/logs answers at least `count` records for the query. */
function recordsOf(query: Record<string, string>, count = 1): Promise<LogRecordView[]> {
  return eventually(
    async () => {
      const page = await logs(query);
      return page.items.length >= count ? page.items : undefined;
    },
    30_000,
    `log records for ${JSON.stringify(query)}`,
  );
}

/**
 * Follows GET /v1/logs?follow=true until `enough` says the events read so
 * far suffice; answers them (the stream never ends by itself).
 */
async function follow(
  query: Record<string, string>,
  enough: (records: { id?: string; record: LogRecordView }[]) => boolean,
  headers: Record<string, string> = {},
): Promise<{ contentType: string; records: { id?: string; record: LogRecordView }[] }> {
  const state = platformState();
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 30_000);
  const response = await fetch(
    `${state.gatewayUrl}/v1/logs?${new URLSearchParams({ ...query, follow: 'true' }).toString()}`,
    { headers: { authorization: `Bearer ${state.apiKey}`, ...headers }, signal: abort.signal },
  );
  const records: { id?: string; record: LogRecordView }[] = [];
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    while (!enough(records)) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const id = /^id: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (/^event: log$/m.test(block) && data) {
          records.push({ id, record: JSON.parse(data) as LogRecordView });
        }
      }
    }
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
  return { contentType: response.headers.get('content-type') ?? '', records };
}

/** Metric samples of a service whose name starts with `prefix`, as text lines. */
async function samples(service: string, prefix: string): Promise<string[]> {
  const port = platformState().services.find((s) => s.name === service)!.port;
  const text = await (await fetch(metricsUrl(port))).text();
  return text.split('\n').filter((line) => line.startsWith(prefix));
}

/** The value of the first sample line that has every one of `parts`. */
function valueOf(lines: string[], ...parts: string[]): number {
  const line = lines.find((l) => parts.every((p) => l.includes(p)));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

describe('observability: logs in one place, and workflow metrics', () => {
  let orchestrate: OrchestratePlatform;
  let worker: AgentWorker;
  const runIds: string[] = [];

  beforeAll(async () => {
    orchestrate = sdk();
    await orchestrate.registerAgent({ name: agent, type: 'worker' });
    worker = new AgentWorker({
      agent,
      brokers: platformState().kafkaBrokers.split(','),
      handler: (input, task) => {
        // The seed's orchestrate.logger, tied to the task; secrets in the fields on purpose.
        orchestrate.logger.forTask(agent, task).info('Agent invoked', {
          order: (input as { order: string }).order,
          customer: { tier: 'gold', credentials: { password: 'hunter2', api_key: 'k-123' } },
          note: 'called with Bearer abcdefghijklmnopqrstuvwxyz',
        });
        return { ok: true };
      },
    });
    await worker.start();
    await orchestrate.createWorkflow({
      name: workflow,
      steps: [{ name: 'write-log', agent, input: '${input}' }],
    });
    const run = await orchestrate.startRun(workflow, { order: 'A-1' });
    expect((await orchestrate.waitForRun(run.id, 30_000)).status).toBe('completed');
    runIds.push(run.id);
  });

  afterAll(async () => {
    await worker?.stop();
  });

  it("an SDK worker's logger.info reaches GET /v1/logs?run_id=, tied to agent, step and task", async () => {
    const [record] = await recordsOf({ run_id: runIds[0] });
    expect(record).toMatchObject({
      level: 'info',
      message: 'Agent invoked',
      source: 'sdk',
      agent_id: agent,
      run_id: runIds[0],
      step: 'write-log',
    });
    expect(record.task_id).toEqual(expect.any(String));
    expect(record.fields.order).toBe('A-1');
    // Filters narrow it down: by agent, level and words of the message.
    const byAgent = await logs({ agent_id: agent, level: 'info', q: 'agent INVOKED' });
    expect(byAgent.items.map((r) => r.id)).toContain(record.id);
    expect((await logs({ agent_id: agent, level: 'warn' })).items).toEqual([]);
    expect((await logs({ run_id: runIds[0], q: 'no such words' })).items).toEqual([]);
  });

  it('redacts secrets at any depth, whatever the client sent', async () => {
    const [record] = await recordsOf({ run_id: runIds[0] });
    expect(record.fields.customer).toEqual({ tier: 'gold', credentials: '[redacted]' });
    expect(record.fields.note).toBe('called with [redacted]');
    // A client that does not redact (a raw POST) is redacted by the platform.
    const requestId = `raw-${suffix}`;
    const posted = await api('POST', '/v1/logs', {
      body: {
        records: [
          {
            level: 'warn',
            message: 'connecting to postgres://app:s3cret@db:5432/app',
            request_id: requestId,
            fields: { a: { b: { c: { d: { client_secret: 'x', keep: 'y' } } } }, token: 't' },
          },
        ],
      },
    });
    expect(posted.status).toBe(202);
    const [raw] = await recordsOf({ request_id: requestId });
    expect(raw.message).toBe('connecting to postgres://app:[redacted]@db:5432/app');
    expect(raw.fields).toEqual({
      a: { b: { c: { d: { client_secret: '[redacted]', keep: 'y' } } } },
      token: '[redacted]',
    });
    expect(JSON.stringify(raw)).not.toMatch(/s3cret|hunter2|k-123/);
  });

  it('follows the logs as Server-Sent Events: the tail, each new record, and resumes after Last-Event-ID', async () => {
    const first = await follow({ agent_id: agent }, (records) => records.length >= 1);
    expect(first.contentType).toContain('text/event-stream');
    expect(first.records[0].record.run_id).toBe(runIds[0]);
    const lastSeen = first.records.at(-1)!.id!;

    // A follower that is open while a new run logs sees the new record arrive.
    const following = follow(
      { agent_id: agent },
      (records) => records.some((r) => r.record.run_id !== runIds[0]),
      { 'last-event-id': lastSeen },
    );
    const run = await orchestrate.startRun(workflow, { order: 'A-2' });
    runIds.push(run.id);
    expect((await orchestrate.waitForRun(run.id, 30_000)).status).toBe('completed');
    const followed = await following;
    // Resumed after the last id seen: nothing from before it came again.
    expect(followed.records.map((r) => r.record.run_id)).toEqual([run.id]);
    expect(followed.records[0].record.fields.order).toBe('A-2');
  });

  it("a service's own warning reaches the workspace's logs (a refused hook call)", async () => {
    const connection = `obs-hook-${suffix}`;
    const created = await api('POST', '/v1/connections', {
      body: {
        name: connection,
        connector: 'hook',
        config: { event_type: `obs.hook-${suffix}`, scheme: 'hmac_sha256' },
        secrets: { signing_secret: 'the-real-secret' },
      },
    });
    expect([200, 201]).toContain(created.status);
    const body = JSON.stringify({ hello: 'world' });
    const forged = createHmac('sha256', 'a-guess').update(body).digest('hex');
    const refused = await fetch(`${platformState().gatewayUrl}/v1/hooks/default/${connection}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature': `sha256=${forged}` },
      body,
    });
    expect(refused.status).toBe(401);
    const records = await eventually(
      async () => {
        const page = await logs({ source: 'baton-integration-manager', level: 'warn', q: 'hook' });
        const mine = page.items.filter((r) => r.fields.connection === connection);
        return mine.length > 0 ? mine : undefined;
      },
      30_000,
      'the refused hook call in the logs',
    );
    expect(records[0]).toMatchObject({ level: 'warn', message: 'hook call refused' });
    expect(JSON.stringify(records[0])).not.toContain('the-real-secret');
  });

  it('keeps workspaces apart, and refuses bad input naming the field', async () => {
    const other = await workspaceWithKeys('obs-other');
    expect((await logs({ run_id: runIds[0] }, other.keys[0])).items).toEqual([]);
    const otherPost = await api('POST', '/v1/logs', {
      apiKey: other.keys[0],
      body: { records: [{ level: 'info', message: `theirs-${suffix}` }] },
    });
    expect(otherPost.status).toBe(202);
    await eventually(async () => {
      const page = await logs({ q: `theirs-${suffix}` }, other.keys[0]);
      return page.items.length === 1 ? page : undefined;
    });
    expect((await logs({ q: `theirs-${suffix}` })).items).toEqual([]);

    const badLevel = await api('POST', '/v1/logs', {
      body: { records: [{ level: 'loud', message: 'x' }] },
    });
    expect(badLevel.status).toBe(422);
    expect(badLevel.contentType).toContain('application/problem+json');
    expect(JSON.stringify(badLevel.body)).toContain('records[0].level');
    const tooMany = await api('POST', '/v1/logs', {
      body: { records: Array.from({ length: 501 }, () => ({ level: 'info', message: 'x' })) },
    });
    expect(tooMany.status).toBe(422);
    expect(JSON.stringify(tooMany.body)).toContain('records');
    const bigFields = await api('POST', '/v1/logs', {
      body: { records: [{ level: 'info', message: 'x', fields: { blob: 'x'.repeat(20_000) } }] },
    });
    expect(JSON.stringify(bigFields.body)).toContain('records[0].fields');
    const badQuery = await api('GET', '/v1/logs?level=loud');
    expect(badQuery.status).toBe(422);
    expect(JSON.stringify(badQuery.body)).toContain('level');
    const badCursor = await api('GET', '/v1/logs?after=abc');
    expect(JSON.stringify(badCursor.body)).toContain('after');
    // The platform's own records are for platform admins only.
    const viewer = await issueKey(other.id, 'viewer');
    const platformScope = await api('GET', '/v1/logs?scope=platform', { apiKey: viewer });
    expect(platformScope.status).toBe(403);
    const agentKey = await issueKey(other.id, 'agent');
    expect((await api('GET', '/v1/logs', { apiKey: agentKey })).status).toBe(403);
  });

  it('pages with a cursor, newest first', async () => {
    const requestId = `paged-${suffix}`;
    const posted = await api('POST', '/v1/logs', {
      body: {
        records: [1, 2, 3].map((n) => ({
          level: 'info',
          message: `line ${n}`,
          request_id: requestId,
        })),
      },
    });
    expect(posted.status).toBe(202);
    await recordsOf({ request_id: requestId }, 3);
    const first = await logs({ request_id: requestId, limit: '2' });
    expect(first.items.map((r) => r.message)).toEqual(['line 3', 'line 2']);
    const second = await logs({ request_id: requestId, limit: '2', cursor: first.next_cursor! });
    expect(second.items.map((r) => r.message)).toEqual(['line 1']);
    expect(second.next_cursor).toBeNull();
  });

  it('serves workflow, agent and event-store metrics after runs', async () => {
    const wf = await eventually(async () => {
      const lines = await samples('workflow-engine', 'baton_workflow_');
      return valueOf(lines, 'baton_workflow_runs_finished_total{', `workflow="${workflow}"`) >= 1
        ? lines
        : undefined;
    });
    expect(
      valueOf(wf, 'baton_workflow_runs_started_total{', `workflow="${workflow}"`, 'version="1"'),
    ).toBeGreaterThanOrEqual(1);
    expect(
      valueOf(
        wf,
        'baton_workflow_runs_finished_total{',
        `workflow="${workflow}"`,
        'status="completed"',
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(
      valueOf(wf, 'baton_workflow_run_duration_seconds_count{', `workflow="${workflow}"`),
    ).toBeGreaterThanOrEqual(1);
    expect(
      valueOf(
        wf,
        'baton_workflow_step_duration_seconds_count{',
        `workflow="${workflow}"`,
        'kind="agent"',
        'status="completed"',
      ),
    ).toBeGreaterThanOrEqual(1);
    // Labels stay bounded: no run id appears in any sample.
    for (const id of runIds) expect(wf.join('\n')).not.toContain(id);
    expect(wf.some((l) => l.startsWith('baton_workflow_timers_overdue'))).toBe(true);

    const agents = await samples('agent-manager', 'baton_agent_queue_lag_messages');
    expect(valueOf(agents, `agent="${agent}"`, 'workspace="default"')).toBeGreaterThanOrEqual(0);
    expect(agents.some((l) => l.includes(`agent="${agent}"`))).toBe(true);
    const store = await samples('event-manager', 'baton_event_store_ingest_lag_seconds_count');
    expect(valueOf(store, 'source="platform"')).toBeGreaterThan(0);
    const lag = await samples('event-manager', 'baton_kafka_consumer_lag_messages');
    expect(lag.some((l) => l.includes('group="baton-event-manager-logs"'))).toBe(true);
    const loop = await samples('workflow-engine', 'nodejs_eventloop_lag_p99_seconds');
    expect(loop.length).toBeGreaterThan(0);
  });
});
