import { createEnvelope, MessageTypes, Topics } from '@baton/contracts';
import { randomBytes, randomUUID } from 'node:crypto';
import * as http from 'node:http';
import { Client } from 'pg';
import { api, eventually, kafka, metricsUrl, metricValue, platformState } from './support/platform';
import { startExtraService } from './support/service-control';
import { createWorkspace, issueKey } from './support/workspaces';

interface AuditItem {
  id: string;
  seq: number;
  source: string;
  actor: string;
  credential: string | null;
  action: string;
  resource: string;
  outcome: string;
  details: Record<string, unknown>;
  correlation_id: string;
}

interface Verify {
  intact: boolean;
  count: number;
  head_hash: string;
  broken?: { seq: number; id: string | null; reason: string };
}

let OTHER: string;
let otherKey: string;
const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

async function auditOf(apiKey: string, action?: string): Promise<AuditItem[]> {
  const query = action ? `?limit=200&action=${encodeURIComponent(action)}` : '?limit=200';
  const response = await api<{ items: AuditItem[] }>('GET', `/v1/audit${query}`, { apiKey });
  expect(response.status).toBe(200);
  return response.body.items;
}

async function verify(apiKey: string): Promise<Verify> {
  const response = await api<Verify>('GET', '/v1/audit/verify', { apiKey });
  expect(response.status).toBe(200);
  return response.body;
}

/** Sends a request whole and hangs up before any answer can arrive. */
function sendAndHangUp(path: string, body: unknown): Promise<void> {
  const state = platformState();
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(`${state.gatewayUrl}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${state.apiKey}`,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(payload),
      },
    });
    request.on('error', () => undefined); // the hang-up is ours
    request.on('response', () => reject(new Error('an answer arrived before the hang-up')));
    // 'finish': the whole request has been handed to the socket; close it at once.
    request.on('finish', () => {
      request.destroy();
      resolve();
    });
    request.end(payload);
  });
}

/**
 * Audit you can trust: a change is recorded by the service that makes it in
 * the same transaction (so a client that hangs up cannot leave a change
 * unrecorded), each workspace's records are a hash chain that
 * /v1/audit/verify recomputes, redelivery does not fork it, workspaces do not
 * see each other's trail, and refused requests are counted, limited per
 * address and audited once per address and window.
 */
describe('audit', () => {
  const db = new Client({ connectionString: platformState().databaseUrl });

  beforeAll(async () => {
    await db.connect();
    // A second workspace with an admin key, made through the API by the platform admin.
    OTHER = await createWorkspace('audit');
    otherKey = await issueKey(OTHER, 'admin', 'audit-admin');
  });

  afterAll(async () => {
    await db.end();
  });

  it('records a change made for a client that hung up before the answer', async () => {
    const name = unique('hangup');
    await sendAndHangUp('/v1/agents', { name, type: 'worker' });
    // The change happened...
    await eventually(
      async () => {
        const agent = await api('GET', `/v1/agents/${name}`);
        return agent.status === 200 ? agent : undefined;
      },
      20_000,
      'the agent registered by the request that hung up',
    );
    // ...and so did its record, from the service that made it, naming the caller and its key.
    const entry = await eventually(
      async () =>
        (await auditOf(platformState().apiKey, 'agent.register')).find(
          (e) => e.resource === `agent/${name}`,
        ),
      20_000,
      'the audit record of the registration',
    );
    expect(entry).toMatchObject({
      source: 'agent-manager',
      actor: 'apikey:bootstrap',
      outcome: 'success',
    });
    expect(entry.credential).toMatch(/^api-key:/);
    expect(entry.seq).toBeGreaterThan(0);
  });

  it('verifies the chain, and names the link that was edited in Postgres', async () => {
    for (const name of [unique('chain-a'), unique('chain-b'), unique('chain-c')]) {
      const created = await api('POST', '/v1/agents', {
        apiKey: otherKey,
        body: { name, type: 'worker' },
      });
      expect(created.status).toBe(201);
    }
    await eventually(
      async () => ((await auditOf(otherKey, 'agent.register')).length >= 3 ? true : undefined),
      20_000,
      'three registrations audited',
    );
    const before = await verify(otherKey);
    expect(before).toMatchObject({ intact: true });
    expect(before.count).toBeGreaterThanOrEqual(3);

    const { rows } = await db.query<{ message_id: string; seq: string; outcome: string }>(
      `SELECT message_id, seq, outcome FROM security_manager.audit_log
        WHERE workspace_id = $1 AND action = 'agent.register' ORDER BY seq LIMIT 1 OFFSET 1`,
      [OTHER],
    );
    const target = rows[0];
    await db.query(
      `UPDATE security_manager.audit_log SET outcome = 'denied' WHERE message_id = $1`,
      [target.message_id],
    );
    const after = await verify(otherKey);
    expect(after.intact).toBe(false);
    expect(after.broken).toEqual({
      seq: Number(target.seq),
      id: target.message_id,
      reason: 'the record does not match its hash',
    });
    expect(after.count).toBe(Number(target.seq) - 1);

    // Put back, the chain holds again: the check is about the content, not a flag.
    await db.query(`UPDATE security_manager.audit_log SET outcome = $2 WHERE message_id = $1`, [
      target.message_id,
      target.outcome,
    ]);
    expect((await verify(otherKey)).intact).toBe(true);
  });

  it('stores a redelivered audit message once and keeps one linear chain under concurrent writers', async () => {
    const producers = [kafka('audit-e2e-a').producer(), kafka('audit-e2e-b').producer()];
    await Promise.all(producers.map((p) => p.connect()));
    const entry = (i: number, id = randomUUID()) =>
      createEnvelope({
        id,
        type: MessageTypes.auditEntry,
        source: 'audit-e2e',
        workspaceId: OTHER,
        data: {
          actor: 'apikey:audit-e2e',
          action: 'test.write',
          resource: `thing/${i}`,
          outcome: 'success',
          details: { i },
        },
      });
    const redelivered = entry(-1);
    const send = (producer: (typeof producers)[number], envelopes: ReturnType<typeof entry>[]) =>
      producer.send({
        topic: Topics.audit,
        messages: envelopes.map((envelope) => ({ key: OTHER, value: JSON.stringify(envelope) })),
      });
    // The same message three times (as a producer retry or a replayed partition delivers it),
    // interleaved with distinct ones from two producers at once.
    await Promise.all([
      send(producers[0], [redelivered, ...Array.from({ length: 10 }, (_, i) => entry(i))]),
      send(producers[1], [redelivered, ...Array.from({ length: 10 }, (_, i) => entry(100 + i))]),
    ]);
    await send(producers[0], [redelivered]);
    await Promise.all(producers.map((p) => p.disconnect()));

    const stored = await eventually(
      async () => {
        const { rows } = await db.query<{ n: string }>(
          `SELECT count(*) AS n FROM security_manager.audit_log
            WHERE workspace_id = $1 AND action = 'test.write'`,
          [OTHER],
        );
        return Number(rows[0].n) >= 21 ? Number(rows[0].n) : undefined;
      },
      20_000,
      'the 21 distinct test entries stored',
    );
    expect(stored).toBe(21);
    const { rows: copies } = await db.query(
      'SELECT seq FROM security_manager.audit_log WHERE message_id = $1',
      [redelivered.id],
    );
    expect(copies).toHaveLength(1);
    const { rows: shape } = await db.query<{ n: string; seqs: string; top: string }>(
      `SELECT count(*) AS n, count(DISTINCT seq) AS seqs, max(seq) AS top
         FROM security_manager.audit_log WHERE workspace_id = $1`,
      [OTHER],
    );
    // One chain: seq 1..n with no gap and no seq given twice.
    expect(Number(shape[0].seqs)).toBe(Number(shape[0].n));
    expect(Number(shape[0].top)).toBe(Number(shape[0].n));
    expect((await verify(otherKey)).intact).toBe(true);
  });

  it('keeps each workspace to its own trail, and audits reading it', async () => {
    const mine = await auditOf(otherKey);
    const theirs = await auditOf(platformState().apiKey);
    const theirIds = new Set(theirs.map((e) => e.id));
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.filter((e) => theirIds.has(e.id))).toEqual([]);
    expect(mine.some((e) => e.resource.startsWith('agent/hangup-'))).toBe(false);
    // Asking for the other workspace by header is refused, not answered.
    const crossed = await api('GET', '/v1/audit', {
      apiKey: otherKey,
      headers: { 'x-workspace-id': 'default' },
    });
    expect(crossed.status).toBe(403);
    // Reading the trail and verifying it are themselves on the trail, by the reader.
    const reads = await eventually(
      async () => {
        const items = await auditOf(otherKey, 'audit.read');
        return items.length > 0 ? items : undefined;
      },
      20_000,
      'the audit of reading the audit log',
    );
    expect(reads[0]).toMatchObject({ actor: 'apikey:audit-admin', source: 'security-manager' });
    const verifies = await auditOf(otherKey, 'audit.verify');
    expect(verifies.length).toBeGreaterThan(0);
  });

  it('counts and limits failed authentications per address, with one audit record per window', async () => {
    const gateway = await startExtraService('gateway', 37, {
      env: { AUTH_FAILURE_LIMIT: '3', AUTH_FAILURE_WINDOW_MS: '4000' },
    });
    const startedAt = new Date();
    let sent = 0;
    let limited: Response | undefined;
    try {
      // Two windows hold at most 2 × 3 failures: by the 7th attempt one window is over its limit.
      for (let i = 0; i < 7 && !limited; i++) {
        const response = await fetch(`${gateway.url}/v1/agents`, {
          headers: { authorization: `Bearer bk_wrong_${randomBytes(16).toString('hex')}` },
        });
        sent += 1;
        if (response.status === 429) limited = response;
        else expect(response.status).toBe(401);
      }
      expect(limited).toBeDefined();
      const retryAfter = Number(limited!.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(4);
      expect(limited!.headers.get('content-type')).toContain('application/problem+json');
      const metrics = await (await fetch(metricsUrl(Number(new URL(gateway.url).port)))).text();
      const sample = (reason: string) =>
        Number(
          metrics
            .split('\n')
            .find(
              (line) =>
                line.startsWith('baton_gateway_auth_refusals_total{') &&
                line.includes(`reason="${reason}"`),
            )
            ?.split(' ')
            .pop() ?? 0,
        );
      expect(sample('bad_credential')).toBe(sent - 1);
      expect(sample('rate_limited')).toBe(1);
    } finally {
      // A graceful stop publishes the window still open.
      await gateway.stop();
    }
    const records = await eventually(
      async () => {
        const { rows } = await db.query<{ details: { attempts: number; window_start: string } }>(
          `SELECT details FROM security_manager.audit_log
            WHERE workspace_id = 'system' AND action = 'auth.refused' AND source = 'gateway'
              AND time >= $1`,
          [startedAt],
        );
        const total = rows.reduce((sum, row) => sum + row.details.attempts, 0);
        return total >= sent ? rows : undefined;
      },
      20_000,
      'the refusals audited',
    );
    // One record per window, however many attempts it held.
    const windows = records.map((r) => r.details.window_start);
    expect(new Set(windows).size).toBe(windows.length);
    expect(records.length).toBeLessThanOrEqual(2);
    expect(records.reduce((sum, r) => sum + r.details.attempts, 0)).toBe(sent);
    // The platform's gateway keeps counting too.
    await api('GET', '/v1/agents', { apiKey: null });
    expect(
      await metricValue('gateway', 'baton_gateway_auth_refusals_total', {
        reason: 'no_credential',
      }),
    ).toBeGreaterThan(0);
  });
});
