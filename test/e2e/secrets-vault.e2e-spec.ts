import { MessageTypes, Topics } from '@baton/contracts';
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { KEYRING_FILE } from './support/paths';
import { api, eventually, metricsUrl, platformState } from './support/platform';
import { ScriptedServer, uniqueName } from './support/scripted-server';
import { killService, restartService } from './support/service-control';
import { TopicCollector } from './support/topic-collector';
import { workspaceWithKeys } from './support/workspaces';

type Problem = { status: number; code: string; detail: string };

/** Every service that holds the keyring: it seals, opens, or re-seals values. */
const KEYRING_SERVICES = [
  'gateway',
  'security-manager',
  'agent-manager',
  'integration-manager',
  'event-manager',
];
/** The sealed columns each service reports in baton_sealed_values_on_old_keys. */
const SEALED_COLUMNS: Record<string, string[]> = {
  'security-manager': ['secrets.sealed'],
  'integration-manager': ['connections.secrets_ciphertext'],
  'event-manager': ['subscriptions.secret', 'routes.secret'],
};

const SECRET = `sk-vault-${randomBytes(16).toString('hex')}`;
const SECRET_NAME = 'partner-api-token';
let KEY_B: string;

/** The remote agent: says whether it got A's vault secret as the bearer token, never echoes it. */
const remote = new ScriptedServer((request) => ({
  body: { authorized: request.headers.authorization === `Bearer ${SECRET}` },
}));

/** A second workspace and its admin key, made through the API by the platform admin. */
async function createWorkspaceB(): Promise<void> {
  ({
    keys: [KEY_B],
  } = await workspaceWithKeys('vault-b'));
}

async function storedSecretKeyId(): Promise<string> {
  const db = new Client({ connectionString: platformState().databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ sealed: string }>(
      `SELECT sealed FROM security_manager.secrets WHERE workspace_id = 'default' AND name = $1`,
      [SECRET_NAME],
    );
    expect(rows[0].sealed).not.toContain(SECRET);
    return rows[0].sealed.split(':')[1];
  } finally {
    await db.end();
  }
}

/** The key id of each sealed value a query selects (as `v`). */
async function sealedIds(sql: string): Promise<string[]> {
  const db = new Client({ connectionString: platformState().databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ v: string }>(sql);
    return rows.map((row) => row.v.split(':')[1]);
  } finally {
    await db.end();
  }
}

/** The sample of a service's /metrics, or undefined while it is not there. */
async function sample(service: string, name: string, column: string): Promise<number | undefined> {
  const port = platformState().services.find((s) => s.name === service)?.port;
  const text = await (await fetch(metricsUrl(port!))).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`${name}{`) && l.includes(`column="${column}"`));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

async function restartKeyringServices(): Promise<void> {
  for (const name of KEYRING_SERVICES) await killService(name);
  await Promise.all(KEYRING_SERVICES.map((name) => restartService(name)));
}

const keyLines = (): string[] =>
  fs
    .readFileSync(KEYRING_FILE, 'utf8')
    .split('\n')
    .filter((line) => /^[A-Za-z0-9_-]+:/.test(line));

async function invoke(agent: string, apiKey?: string) {
  return api<{ output?: { authorized: boolean } } & Problem>('POST', `/v1/agents/${agent}/invoke`, {
    body: { input: { ping: true }, timeout: 15_000 },
    apiKey,
  });
}

describe('the secrets vault: per workspace, sealed everywhere, rotated', () => {
  const agent = uniqueName('vault-caller');
  const answers: string[] = [];
  const commands = new TopicCollector(Topics.securityCommands, { from: 'now' });
  const replies = new TopicCollector(Topics.agentReplies, { from: 'now' });

  /** Every answer body is kept: none may ever carry the secret. */
  async function call<T>(...args: Parameters<typeof api>) {
    const result = await api<T>(...args);
    answers.push(JSON.stringify(result.body) ?? '');
    return result;
  }

  beforeAll(async () => {
    await Promise.all([remote.start(), commands.start(), replies.start(), createWorkspaceB()]);
  });

  afterAll(async () => {
    await Promise.all([remote.stop(), commands.stop(), replies.stop()]);
  });

  it('stores a secret without ever answering its value, and lists it with its key id', async () => {
    const created = await call<Record<string, string>>('PUT', `/v1/secrets/${SECRET_NAME}`, {
      body: { value: SECRET },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/v1/secrets/${SECRET_NAME}`);
    const activeId = keyLines()[0].split(':')[0];
    expect(created.body).toEqual({
      name: SECRET_NAME,
      key_id: activeId,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const replaced = await call('PUT', `/v1/secrets/${SECRET_NAME}`, { body: { value: SECRET } });
    expect(replaced.status).toBe(200);

    const list = await call<{ items: { name: string; key_id: string }[] }>('GET', '/v1/secrets');
    expect(list.status).toBe(200);
    expect(list.body.items).toContainEqual(
      expect.objectContaining({ name: SECRET_NAME, key_id: activeId }),
    );
    expect(await storedSecretKeyId()).toBe(activeId);

    // A bad name or value is a 422 naming the field, never echoing the value.
    const badName = await call<Problem>('PUT', '/v1/secrets/..%2Fetc', { body: { value: 'x' } });
    expect(badName.status).toBe(422);
    const badValue = await call<Problem>('PUT', '/v1/secrets/ok-name', {
      body: { value: SECRET, extra: 1 },
    });
    expect(badValue.status).toBe(422);
  });

  it("an HTTP agent of the workspace uses it; another workspace's agent naming it fails", async () => {
    const registration = {
      name: agent,
      type: 'tool',
      runtime: 'http',
      config: { url: `${remote.url}/call`, api_key_secret: SECRET_NAME },
    };
    expect((await call('POST', '/v1/agents', { body: registration })).status).toBe(201);
    const ok = await invoke(agent);
    answers.push(JSON.stringify(ok.body));
    expect(ok.status).toBe(200);
    expect(ok.body.output).toEqual({ authorized: true });

    // Reading the secret is audited by the vault (one record per resolve that reaches it: agent-manager
    // keeps a value for AGENT_SECRET_CACHE_MS); so are its changes.
    const audited = async (action: string) =>
      (
        await call<{ items: { resource: string; source: string; outcome: string }[] }>(
          'GET',
          `/v1/audit?limit=200&action=${action}`,
        )
      ).body.items.filter((e) => e.resource === `secrets/${SECRET_NAME}`);
    const reads = await audited('secret.read');
    expect(reads.length).toBeGreaterThanOrEqual(1);
    expect(reads[0]).toMatchObject({ source: 'security-manager', outcome: 'success' });
    expect(await audited('secret.create')).toHaveLength(1);
    expect((await audited('secret.update')).length).toBeGreaterThanOrEqual(1);

    // Workspace B: no such secret in its vault, whatever A has.
    const listB = await call<{ items: unknown[] }>('GET', '/v1/secrets', { apiKey: KEY_B });
    expect(listB.status).toBe(200);
    expect(listB.body.items).toEqual([]);
    const deleteB = await call<Problem>('DELETE', `/v1/secrets/${SECRET_NAME}`, {
      apiKey: KEY_B,
    });
    expect(deleteB.status).toBe(404);
    expect(deleteB.body.detail).toBe(`secret '${SECRET_NAME}' is not in this workspace's vault`);

    const reached = remote.received.length;
    expect((await call('POST', '/v1/agents', { body: registration, apiKey: KEY_B })).status).toBe(
      201,
    );
    const denied = await invoke(agent, KEY_B);
    answers.push(JSON.stringify(denied.body));
    expect(denied.status).toBe(502);
    expect(denied.body.detail).toContain(
      `secret '${SECRET_NAME}' is not in this workspace's vault`,
    );
    // It names the vault secret only: nothing about environment variables or other workspaces.
    expect(denied.body.detail).not.toMatch(/BATON_|environment|default/);
    expect(remote.received.length).toBe(reached);
  });

  it('re-seals every value after a key rotation, so the old key can be retired', async () => {
    const oldId = keyLines()[0].split(':')[0];
    // Sealed values of the other owners too: a connection's secrets, a subscription's.
    const connection = uniqueName('vault-conn');
    expect(
      (
        await call('POST', '/v1/connections', {
          body: {
            name: connection,
            connector: 'webhook',
            config: { url: `${remote.url}/messages` },
            secrets: { signing_secret: 'conn-signing-secret' },
          },
        })
      ).status,
    ).toBe(201);
    const subscription = await call<{ id: string }>('POST', '/v1/subscriptions', {
      body: {
        webhook_url: `${remote.url}/hooks`,
        events: ['vault.rotation.*'],
        secret: `e2e-secret-${randomUUID()}`,
      },
    });
    expect(subscription.status).toBe(201);
    const sealedKeyIds = async () =>
      sealedIds(
        `SELECT secrets_ciphertext AS v FROM integration_manager.connections
          WHERE workspace_id = 'default' AND name = '${connection}'
         UNION ALL
         SELECT substr(secret, 8) FROM event_manager.subscriptions WHERE id = '${subscription.body.id}'`,
      );
    expect(await sealedKeyIds()).toEqual([oldId, oldId]);

    const newId = `rotated-${randomBytes(3).toString('hex')}`;
    // Rotate: the new key first (active), the old one kept to open what it sealed.
    fs.writeFileSync(
      KEYRING_FILE,
      [`${newId}:${randomBytes(32).toString('base64')}`, ...keyLines(), ''].join('\n'),
      { mode: 0o600 },
    );
    await restartKeyringServices();

    for (const [service, columns] of Object.entries(SEALED_COLUMNS)) {
      for (const column of columns) {
        await eventually(
          async () =>
            (await sample(service, 'baton_sealed_values_on_old_keys', column)) === 0
              ? true
              : undefined,
          60_000,
          `${service} to re-seal ${column}`,
        );
      }
    }
    expect(await storedSecretKeyId()).toBe(newId);
    expect(await sealedKeyIds()).toEqual([newId, newId]);
    const list = await call<{ items: { name: string; key_id: string }[] }>('GET', '/v1/secrets');
    expect(list.body.items).toContainEqual(
      expect.objectContaining({ name: SECRET_NAME, key_id: newId }),
    );

    // Retire the old key: everything still opens with the new one alone.
    fs.writeFileSync(KEYRING_FILE, `${keyLines()[0]}\n`, { mode: 0o600 });
    expect(keyLines().some((line) => line.startsWith(`${oldId}:`))).toBe(false);
    await restartKeyringServices();
    const after = await invoke(agent);
    answers.push(JSON.stringify(after.body));
    expect(after.status).toBe(200);
    expect(after.body.output).toEqual({ authorized: true });
  }, 300_000);

  it('deletes a secret: the agent then fails naming it', async () => {
    expect((await call('DELETE', `/v1/secrets/${SECRET_NAME}`)).status).toBe(204);
    expect((await call('DELETE', `/v1/secrets/${SECRET_NAME}`)).status).toBe(404);
    // agent-manager keeps a secret for AGENT_SECRET_CACHE_MS (1 s in this suite).
    const gone = await eventually(async () => {
      const result = await invoke(agent);
      return result.status === 502 ? result : undefined;
    });
    expect(gone.body.detail).toContain(`secret '${SECRET_NAME}' is not in this workspace's vault`);
  });

  it('never shows the value: not in any answer, on any topic, or in any service log', async () => {
    const audit = await call('GET', '/v1/audit?limit=200');
    expect(audit.status).toBe(200);
    for (const answer of answers) expect(answer).not.toContain(SECRET);

    // The puts and resolves did travel, sealed.
    await eventually(async () =>
      commands.messages.some((m) => m.value.includes(MessageTypes.secretPut)) &&
      commands.messages.some((m) => m.value.includes(MessageTypes.secretResolve)) &&
      replies.messages.length > 0
        ? true
        : undefined,
    );
    for (const message of [...commands.messages, ...replies.messages]) {
      expect(message.value).not.toContain(SECRET);
    }

    const { logDir } = platformState() as unknown as { logDir: string };
    const logs = fs.readdirSync(logDir).filter((file) => file.endsWith('.log'));
    expect(logs.length).toBeGreaterThanOrEqual(KEYRING_SERVICES.length);
    for (const file of logs) {
      expect(fs.readFileSync(path.join(logDir, file), 'utf8')).not.toContain(SECRET);
    }
  });
});
