import type { WorkspaceView } from '@baton/contracts';
import { Client } from 'pg';
import { api, eventually, kafka, platformState } from './support/platform';
import { bootstrapKey, workspaceWithKeys } from './support/workspaces';

/** The schemas of the services that keep workspaces' data. */
const SCHEMAS = ['agent_manager', 'workflow_engine', 'event_manager', 'integration_manager'];

/**
 * Purging a deleted workspace: security-manager announces it on
 * baton.security.events and each service deletes that workspace's rows (and
 * agent-manager its task topics), while another workspace's data stays.
 */
describe('workspace purge', () => {
  const db = new Client({ connectionString: platformState().databaseUrl });
  const admin = kafka('e2e-purge-admin').admin();
  let tables: { schema: string; table: string }[];

  /** Rows of `workspace` in every table of the services' schemas that has a workspace_id column. */
  async function rowsOf(workspace: string): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const { schema, table } of tables) {
      const { rows } = await db.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${schema}.${table} WHERE workspace_id = $1`,
        [workspace],
      );
      const n = Number(rows[0].n);
      if (n > 0) counts[`${schema}.${table}`] = n;
    }
    return counts;
  }

  const taskTopicsOf = async (workspace: string) =>
    (await admin.listTopics()).filter((t) => t.startsWith(`baton.agent.tasks.${workspace}.`));

  /** An agent, a workflow and a run, events, a connection: data in every service. */
  async function fill(key: string, tag: string): Promise<void> {
    const as = { apiKey: key };
    const agent = `purge-agent-${tag}`;
    expect(
      (await api('POST', '/v1/agents', { ...as, body: { name: agent, type: 'worker' } })).status,
    ).toBe(201);
    const yaml = `workflow:\n  name: purge-flow-${tag}\n  steps:\n    - name: one\n      agent: ${agent}\n      input:\n        says: hi\n`;
    const workflow = await api('POST', '/v1/workflows', {
      ...as,
      raw: yaml,
      contentType: 'application/yaml',
    });
    expect(workflow.status).toBe(201);
    const run = await api('POST', `/v1/workflows/purge-flow-${tag}/runs`, { ...as, body: {} });
    expect(run.status).toBe(201);
    for (let i = 0; i < 3; i++) {
      const event = await api('POST', '/v1/events', {
        ...as,
        body: { type: 'purge.test', data: { i } },
      });
      expect(event.status).toBe(202);
    }
    const connection = await api('POST', '/v1/connections', {
      ...as,
      body: {
        name: `purge-crm-${tag}`,
        connector: 'http',
        config: { base_url: 'https://crm.example.com' },
      },
    });
    expect(connection.status).toBe(201);
    // And what security-manager holds of it besides keys: a vault secret, an OAuth client.
    expect(
      (await api('PUT', `/v1/secrets/purge-secret-${tag}`, { ...as, body: { value: 's3cret' } }))
        .status,
    ).toBe(201);
    expect(
      (
        await api('POST', '/v1/oauth-clients', {
          ...as,
          body: { name: `purge-client-${tag}`, role: 'viewer' },
        })
      ).status,
    ).toBe(201);
  }

  /** Rows of `workspace` in security-manager's tables a purge empties. */
  async function securityRowsOf(workspace: string): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const table of ['api_keys', 'secrets', 'oauth_clients']) {
      const { rows } = await db.query<{ n: string }>(
        `SELECT count(*) AS n FROM security_manager.${table} WHERE workspace_id = $1`,
        [workspace],
      );
      counts[table] = Number(rows[0].n);
    }
    return counts;
  }

  beforeAll(async () => {
    await Promise.all([db.connect(), admin.connect()]);
    const { rows } = await db.query<{ schema: string; table: string }>(
      `SELECT table_schema AS schema, table_name AS table FROM information_schema.columns
        WHERE column_name = 'workspace_id' AND table_schema = ANY($1)
          AND table_name NOT IN ('outbox', 'inbox')
        ORDER BY 1, 2`,
      [SCHEMAS],
    );
    tables = rows;
  });

  afterAll(async () => {
    await Promise.all([db.end(), admin.disconnect()]);
  });

  it("deletes a purged workspace's rows in every service and its task topics, and nothing of another", async () => {
    const doomed = await workspaceWithKeys('purged');
    const kept = await workspaceWithKeys('kept');
    await fill(doomed.keys[0], 'a');
    await fill(kept.keys[0], 'b');

    // Everything landed in each service (events and runs are stored asynchronously).
    const services = (counts: Record<string, number>) =>
      new Set(Object.keys(counts).map((t) => t.split('.')[0]));
    const before = await eventually(
      async () => {
        const [a, b] = await Promise.all([rowsOf(doomed.id), rowsOf(kept.id)]);
        const complete = (c: Record<string, number>) =>
          services(c).size === SCHEMAS.length && (c['event_manager.events'] ?? 0) >= 3;
        return complete(a) && complete(b) ? { a, b } : undefined;
      },
      30_000,
      'the rows of both workspaces in every service',
    );
    expect(await taskTopicsOf(doomed.id)).toHaveLength(1);

    // A purge needs the workspace deleted first; both are the platform admin's.
    const early = await api('POST', `/v1/workspaces/${doomed.id}/purge`, {
      apiKey: bootstrapKey(),
    });
    expect(early.status).toBe(409);
    expect(
      (await api('DELETE', `/v1/workspaces/${doomed.id}`, { apiKey: bootstrapKey() })).status,
    ).toBe(200);
    // Deleting keeps the data.
    expect(Object.keys(await rowsOf(doomed.id))).toEqual(Object.keys(before.a));
    const purged = await api<WorkspaceView>('POST', `/v1/workspaces/${doomed.id}/purge`, {
      apiKey: bootstrapKey(),
    });
    expect(purged.status).toBe(200);
    expect(purged.body.status).toBe('purged');
    // security-manager's own rows of it went in the purge's transaction; the other's stay.
    expect(await securityRowsOf(doomed.id)).toEqual({ api_keys: 0, secrets: 0, oauth_clients: 0 });
    expect(await securityRowsOf(kept.id)).toEqual({ api_keys: 1, secrets: 1, oauth_clients: 1 });

    await eventually(
      async () => {
        const left = await rowsOf(doomed.id);
        return Object.keys(left).length === 0 ? true : undefined;
      },
      30_000,
      "the purged workspace's rows gone from every service",
    );
    await eventually(
      async () => ((await taskTopicsOf(doomed.id)).length === 0 ? true : undefined),
      30_000,
      "the purged workspace's task topics deleted",
    );

    // The other workspace: every row still there, and its API answers as before.
    const after = await rowsOf(kept.id);
    expect(Object.keys(after)).toEqual(expect.arrayContaining(Object.keys(before.b)));
    // (More of its events may have arrived meanwhile: audit entries are stored events too.)
    expect(after['event_manager.events']).toBeGreaterThanOrEqual(before.b['event_manager.events']);
    expect(after['agent_manager.agents']).toBe(1);
    expect(after['integration_manager.connections']).toBe(1);
    expect(after['workflow_engine.workflows']).toBe(1);
    expect(await taskTopicsOf(kept.id)).toHaveLength(1);
    const agents = await api<{ items: { name: string }[] }>('GET', '/v1/agents', {
      apiKey: kept.keys[0],
    });
    expect(agents.body.items.map((a) => a.name)).toEqual(['purge-agent-b']);

    // Purging again changes nothing and is not an error.
    const again = await api<WorkspaceView>('POST', `/v1/workspaces/${doomed.id}/purge`, {
      apiKey: bootstrapKey(),
    });
    expect(again.status).toBe(200);
  });
});
