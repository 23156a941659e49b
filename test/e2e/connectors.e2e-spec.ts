import { MessageTypes, Topics, type ConnectionView, type DeliveryView } from '@baton/contracts';
import { RequestClient, type BatonKafka } from '@baton/kafka';
import type { RunView } from '@baton/contracts';
import type { OrchestratePlatform } from '@baton/sdk';
import { createConnection as mysqlConnection } from 'mysql2/promise';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { E2E_DATABASE } from './support/paths';
import { api, eventually, metricValue, platformState, sdk } from './support/platform';
import { connectedBatonKafka } from './support/test-messages';

/** Scratch databases of this checkout (BATON_E2E_DATABASE keeps parallel checkouts apart). */
const SCRATCH = `${E2E_DATABASE}_connector_scratch`.replace(/[^a-z0-9_]/g, '_');

interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/**
 * A small CRM and OAuth 2.0 server: /oauth/token issues access tokens for
 * client credentials (client crm-client / crm-secret, HTTP Basic) and for
 * refresh tokens (rotating: rt-1 → rt-2 → …, each usable once); every API
 * path below /<scheme>/ checks that scheme's credentials.
 */
class CrmServer {
  readonly seen: Seen[] = [];
  readonly tokenRequests: Record<string, string>[] = [];
  private readonly valid = new Set<string>();
  private refreshToken = 'rt-1';
  private issued = 0;
  flakyCalls = 0;
  private server?: Server;
  url = '';

  /** The API refuses every access token issued so far (as after a key rotation). */
  revokeTokens(): void {
    this.valid.clear();
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const url = new URL(req.url ?? '/', 'http://x');
        this.seen.push({
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          body,
        });
        const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
          res.writeHead(status, { 'content-type': 'application/json', ...headers });
          res.end(JSON.stringify(payload));
        };
        if (url.pathname === '/oauth/token') return this.token(req, body, send);
        const [, scheme, ...rest] = url.pathname.split('/');
        if (!this.authorised(scheme, req.headers)) return send(401, { error: 'unauthorised' });
        const resource = '/' + rest.join('/');
        if (resource === '/flaky') {
          this.flakyCalls++;
          if (this.flakyCalls === 1)
            return send(429, { error: 'slow down' }, { 'retry-after': '1' });
          return send(200, { calm: true });
        }
        if (resource === '/hooks') return send(200, { ok: true });
        if (resource === '/invalid') return send(400, { error: 'subject is required' });
        if (resource === '/cases' && req.method === 'POST') {
          return send(201, { id: 'case-1', received: JSON.parse(body) as unknown });
        }
        const match = /^\/cases\/([^/]+)$/.exec(resource);
        if (match) {
          return send(200, {
            id: decodeURIComponent(match[1]),
            scheme,
            status: url.searchParams.get('expand') ?? 'none',
          });
        }
        send(404, { error: 'no such resource' });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  private authorised(scheme: string, headers: IncomingMessage['headers']): boolean {
    const auth = headers.authorization ?? '';
    switch (scheme) {
      case 'none':
        return auth === '';
      case 'basic':
        return auth === `Basic ${Buffer.from('ada:open-sesame').toString('base64')}`;
      case 'bearer':
        return auth === 'Bearer static-token-1';
      case 'apikey':
        return headers['x-crm-key'] === 'key-123' && auth === '';
      case 'oauth':
      case 'refresh':
        return auth.startsWith('Bearer ') && this.valid.has(auth.slice(7));
      default:
        return false;
    }
  }

  private token(
    req: IncomingMessage,
    body: string,
    send: (status: number, payload: unknown) => void,
  ): void {
    const form = Object.fromEntries(new URLSearchParams(body));
    this.tokenRequests.push(form);
    const issue = (extra: Record<string, unknown> = {}) => {
      const token = `at-${++this.issued}`;
      this.valid.add(token);
      send(200, { access_token: token, token_type: 'Bearer', expires_in: 3600, ...extra });
    };
    if (form.grant_type === 'client_credentials') {
      const basic = `Basic ${Buffer.from('crm-client:crm-secret').toString('base64')}`;
      if (req.headers.authorization !== basic) return send(401, { error: 'invalid_client' });
      return issue();
    }
    if (form.grant_type === 'refresh_token' && form.refresh_token === this.refreshToken) {
      this.refreshToken = `rt-${Number(this.refreshToken.slice(3)) + 1}`;
      return issue({ refresh_token: this.refreshToken });
    }
    send(400, { error: 'invalid_grant' });
  }
}

async function createConnection(body: Record<string, unknown>): Promise<ConnectionView> {
  const response = await api<ConnectionView>('POST', '/v1/connections', { body });
  expect({ status: response.status, body: response.body }).toMatchObject({
    status: expect.any(Number) as number,
  });
  if (![200, 201].includes(response.status)) {
    throw new Error(
      `connection ${String(body.name)}: ${response.status} ${JSON.stringify(response.body)}`,
    );
  }
  return response.body;
}

describe('connectors: workflow steps calling outside systems', () => {
  let orchestrate: OrchestratePlatform;
  const crm = new CrmServer();
  let kafka: BatonKafka;
  let requests: RequestClient;

  async function run(workflow: string, input: Record<string, unknown>): Promise<RunView> {
    const started = await orchestrate.startRun(workflow, input);
    return orchestrate.waitForRun(started.id, 60_000);
  }

  beforeAll(async () => {
    orchestrate = sdk();
    await crm.start();
    kafka = await connectedBatonKafka('connectors-e2e');
    requests = new RequestClient(kafka, Topics.gatewayReplies);
    await requests.start();
  });

  afterAll(async () => {
    await requests?.stop();
    await kafka?.disconnect();
    await crm.stop();
  });

  it('lists the connectors with their config schemas and operations', async () => {
    const response = await api<{
      items: {
        kind: string;
        config_schema: { properties: object };
        operations: { name: string }[];
      }[];
    }>('GET', '/v1/connectors');
    expect(response.status).toBe(200);
    const byKind = Object.fromEntries(response.body.items.map((c) => [c.kind, c]));
    expect(Object.keys(byKind)).toEqual(
      expect.arrayContaining(['http', 'mysql', 'postgres', 'webhook']),
    );
    expect(byKind.http.operations.map((o) => o.name)).toEqual(['request']);
    expect(byKind.postgres.operations.map((o) => o.name)).toEqual(['query', 'execute']);
    expect(byKind.mysql.config_schema.properties).toHaveProperty('statement_timeout_ms');
    expect(byKind.http.config_schema.properties).toHaveProperty('resilience');
  });

  describe('http', () => {
    beforeAll(async () => {
      const base = (scheme: string) => `${crm.url}/${scheme}`;
      await createConnection({
        name: 'crm-none',
        connector: 'http',
        config: { base_url: base('none') },
      });
      await createConnection({
        name: 'crm-basic',
        connector: 'http',
        config: { base_url: base('basic'), auth: { type: 'basic', username: 'ada' } },
        secrets: { password: 'open-sesame' },
      });
      await createConnection({
        name: 'crm-bearer',
        connector: 'http',
        config: { base_url: base('bearer'), auth: { type: 'bearer' } },
        secrets: { token: 'static-token-1' },
      });
      await createConnection({
        name: 'crm-apikey',
        connector: 'http',
        config: { base_url: base('apikey'), auth: { type: 'api_key', header: 'X-CRM-Key' } },
        secrets: { api_key: 'key-123' },
      });
      await createConnection({
        name: 'crm-oauth',
        connector: 'http',
        config: {
          base_url: base('oauth'),
          auth: {
            type: 'oauth2_client_credentials',
            token_url: `${crm.url}/oauth/token`,
            client_id: 'crm-client',
            scope: 'cases.read cases.write',
          },
        },
        secrets: { client_secret: 'crm-secret' },
      });
      await createConnection({
        name: 'crm-refresh',
        connector: 'http',
        config: {
          base_url: base('refresh'),
          auth: { type: 'oauth2_refresh_token', token_url: `${crm.url}/oauth/token` },
        },
        secrets: { refresh_token: 'rt-1' },
      });
      const get = (connection: string) => ({
        name: connection,
        action: `${connection}.request`,
        input: {
          method: 'GET',
          path: '/cases/{id}',
          path_params: { id: '${input.case_id}' },
          query: { expand: 'all' },
        },
      });
      await orchestrate.createWorkflow({
        name: 'crm-auth-kinds',
        steps: [
          'crm-none',
          'crm-basic',
          'crm-bearer',
          'crm-apikey',
          'crm-oauth',
          'crm-refresh',
        ].map(get),
      });
    });

    it('calls the API with every auth kind through a workflow run', async () => {
      const result = await run('crm-auth-kinds', { case_id: 'C/42' });
      expect(result.status).toBe('completed');
      for (const step of result.steps) {
        expect({ step: step.name, output: step.output }).toEqual({
          step: step.name,
          output: {
            status: 200,
            headers: expect.objectContaining({ 'content-type': 'application/json' }) as object,
            body: { id: 'C/42', scheme: step.name.slice(4), status: 'all' },
          },
        });
      }
      // The path parameter is encoded: a slash in a value cannot add a segment.
      expect(crm.seen.some((s) => s.path === '/oauth/cases/C%2F42?expand=all')).toBe(true);
      const clientCredentials = crm.tokenRequests.filter(
        (t) => t.grant_type === 'client_credentials',
      );
      expect(clientCredentials).toEqual([
        { grant_type: 'client_credentials', scope: 'cases.read cases.write' },
      ]);
    });

    it('caches OAuth tokens, and fetches a new one (rotating the refresh token) when the API refuses the old', async () => {
      const before = crm.tokenRequests.length;
      expect((await run('crm-auth-kinds', { case_id: 'C-1' })).status).toBe('completed');
      expect(crm.tokenRequests.length).toBe(before); // both tokens came from the cache

      crm.revokeTokens();
      const after = await run('crm-auth-kinds', { case_id: 'C-2' });
      expect(after.status).toBe('completed');
      const fresh = crm.tokenRequests.slice(before);
      expect(fresh).toEqual(
        expect.arrayContaining([
          { grant_type: 'client_credentials', scope: 'cases.read cases.write' },
          // rt-1 was spent on the first token; the rotated rt-2 is what refreshes now.
          { grant_type: 'refresh_token', refresh_token: 'rt-2' },
        ]),
      );
      expect(fresh).toHaveLength(2);
    });

    it('posts a JSON body, and types a 4xx as validation_error without retrying it', async () => {
      await orchestrate.createWorkflow({
        name: 'crm-write-case',
        steps: [
          {
            name: 'create-case',
            action: 'crm-bearer.request',
            input: { method: 'POST', path: '/cases', body: { subject: '${input.subject}' } },
          },
          {
            name: 'refused',
            action: 'crm-bearer.request',
            input: { method: 'POST', path: '/invalid', body: {} },
          },
        ],
      });
      const result = await run('crm-write-case', { subject: 'Charged twice' });
      expect(result.steps[0].output).toMatchObject({
        status: 201,
        body: { id: 'case-1', received: { subject: 'Charged twice' } },
      });
      const posted = crm.seen.find((s) => s.path === '/bearer/cases' && s.method === 'POST')!;
      expect(posted.headers['content-type']).toBe('application/json');
      expect(result.status).toBe('failed');
      expect(result.error).toEqual({
        type: 'validation_error',
        message: "http connection 'crm-bearer' answered HTTP 400",
      });
      expect(crm.seen.filter((s) => s.path === '/bearer/invalid')).toHaveLength(1);
    });

    it("honours a 429's Retry-After and retries the idempotent GET", async () => {
      await orchestrate.createWorkflow({
        name: 'crm-flaky',
        steps: [{ name: 'get', action: 'crm-none.request', input: { path: '/flaky' } }],
      });
      const result = await run('crm-flaky', {});
      expect(result.status).toBe('completed');
      expect(result.steps[0]).toMatchObject({
        attempts: 1,
        output: { status: 200, body: { calm: true } },
      });
      expect(crm.flakyCalls).toBe(2);
    });
  });

  describe('postgres', () => {
    let admin: Client;
    let scratch: Client;

    beforeAll(async () => {
      const server = new URL(platformState().databaseUrl);
      server.pathname = '/postgres';
      admin = new Client({ connectionString: server.href });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${SCRATCH} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${SCRATCH}`);
      server.pathname = `/${SCRATCH}`;
      scratch = new Client({ connectionString: server.href });
      await scratch.connect();
      await scratch.query(
        'CREATE TABLE cases (id serial PRIMARY KEY, customer text NOT NULL, subject text NOT NULL, opened timestamptz NOT NULL DEFAULT now())',
      );
      const config = {
        host: '127.0.0.1',
        port: Number(server.port || 5432),
        database: SCRATCH,
        user: decodeURIComponent(server.username) || 'postgres',
        statement_timeout_ms: 2000,
        max_rows: 2,
      };
      await createConnection({ name: 'cases-db', connector: 'postgres', config });
      await createConnection({
        name: 'cases-db-ro',
        connector: 'postgres',
        config: { ...config, read_only: true },
      });
      await orchestrate.createWorkflow({
        name: 'pg-write-and-read',
        steps: [
          {
            name: 'insert',
            action: 'cases-db.execute',
            input: {
              sql: 'INSERT INTO cases (customer, subject) VALUES ($1, $2) RETURNING id, customer',
              params: ['${input.customer}', '${input.subject}'],
            },
          },
          {
            name: 'read',
            action: 'cases-db-ro.query',
            input: {
              sql: 'SELECT id, customer, subject, opened FROM cases WHERE customer = $1 ORDER BY id',
              params: ['${input.customer}'],
            },
          },
        ],
      });
    });

    afterAll(async () => {
      await scratch?.end();
      await admin?.query(`DROP DATABASE IF EXISTS ${SCRATCH} WITH (FORCE)`).catch(() => undefined);
      await admin?.end();
    });

    it('writes a row with execute and reads it back with query', async () => {
      const result = await run('pg-write-and-read', { customer: "Ada O'Brien", subject: 'refund' });
      expect(result.status).toBe('completed');
      expect(result.steps[0].output).toEqual({
        row_count: 1,
        rows: [{ id: 1, customer: "Ada O'Brien" }],
      });
      expect(result.steps[1].output).toEqual({
        row_count: 1,
        rows: [
          {
            id: 1,
            customer: "Ada O'Brien",
            subject: 'refund',
            opened: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as string,
          },
        ],
      });
      const stored = await scratch.query('SELECT customer, subject FROM cases');
      expect(stored.rows).toEqual([{ customer: "Ada O'Brien", subject: 'refund' }]);
    });

    it('caps rows at max_rows and says so', async () => {
      await run('pg-write-and-read', { customer: 'Grace', subject: 'a' });
      await run('pg-write-and-read', { customer: 'Grace', subject: 'b' });
      const result = await run('pg-write-and-read', { customer: 'Grace', subject: 'c' });
      expect(result.steps[1].output).toMatchObject({ row_count: 2, truncated: true });
    });

    it('refuses execute on a read-only connection, and any write inside query', async () => {
      await orchestrate.createWorkflow({
        name: 'pg-read-only',
        steps: [
          {
            name: 'sneaky',
            action: 'cases-db.query',
            input: { sql: 'DELETE FROM cases WHERE id = $1', params: [1] },
          },
        ],
      });
      const sneaky = await run('pg-read-only', {});
      expect(sneaky.status).toBe('failed');
      expect(sneaky.error?.type).toBe('validation_error');
      expect(sneaky.error?.message).toContain('read-only transaction');
      const test = await api('POST', '/v1/connections/cases-db-ro/test', {
        body: {
          operation: 'execute',
          input: { sql: 'DELETE FROM cases WHERE id = $1', params: [1] },
        },
      });
      expect(test.status).toBe(422);
      expect(test.body).toMatchObject({ errors: [{ field: 'operation' }] });
      expect(
        (await scratch.query('SELECT count(*)::int AS n FROM cases WHERE id = 1')).rows[0].n,
      ).toBe(1);
    });

    it('fails a step whose SQL carries a literal, naming input.sql', async () => {
      await orchestrate.createWorkflow({
        name: 'pg-interpolated',
        steps: [
          {
            name: 'find',
            action: 'cases-db.query',
            input: { sql: "SELECT * FROM cases WHERE customer = '${input.customer}'" },
          },
        ],
      });
      const result = await run('pg-interpolated', { customer: "x' OR '1'='1" });
      expect(result.status).toBe('failed');
      expect(result.error?.type).toBe('validation_error');
      expect(result.error?.message).toMatch(/^input\.sql has a literal value/);
    });

    it('probes the database with POST /test', async () => {
      const probe = await api<{ ok: boolean; output: { server_version: string } }>(
        'POST',
        '/v1/connections/cases-db/test',
      );
      expect(probe.status).toBe(200);
      expect(probe.body).toMatchObject({ ok: true, output: { reachable: true } });
      expect(probe.body.output.server_version).toMatch(/^\d+/);
    });
  });

  describe('mysql (MariaDB at 127.0.0.1:3306; unreachable means failed, not skipped)', () => {
    beforeAll(async () => {
      const root = await mysqlConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
      await root.query(`DROP DATABASE IF EXISTS ${SCRATCH}`);
      await root.query(`CREATE DATABASE ${SCRATCH}`);
      await root.query(
        `CREATE TABLE ${SCRATCH}.tickets (id int AUTO_INCREMENT PRIMARY KEY, subject varchar(200) NOT NULL UNIQUE, opened datetime NOT NULL DEFAULT CURRENT_TIMESTAMP)`,
      );
      await root.end();
      await createConnection({
        name: 'tickets-db',
        connector: 'mysql',
        config: { host: '127.0.0.1', port: 3306, database: SCRATCH, user: 'root' },
      });
      await orchestrate.createWorkflow({
        name: 'mysql-write-and-read',
        steps: [
          {
            name: 'insert',
            action: 'tickets-db.execute',
            input: {
              sql: 'INSERT INTO tickets (subject) VALUES (?)',
              params: ['${input.subject}'],
            },
          },
          {
            name: 'read',
            action: 'tickets-db.query',
            input: {
              sql: 'SELECT id, subject FROM tickets WHERE subject = ?',
              params: ['${input.subject}'],
            },
          },
        ],
      });
    });

    afterAll(async () => {
      const root = await mysqlConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
      await root.query(`DROP DATABASE IF EXISTS ${SCRATCH}`);
      await root.end();
    });

    it('writes and reads through a workflow run', async () => {
      const result = await run('mysql-write-and-read', { subject: 'printer on fire' });
      expect(result.status).toBe('completed');
      expect(result.steps[0].output).toEqual({ row_count: 1, rows: [] });
      expect(result.steps[1].output).toEqual({
        row_count: 1,
        rows: [{ id: 1, subject: 'printer on fire' }],
      });
    });

    it('types a constraint violation as validation_error', async () => {
      const again = await run('mysql-write-and-read', { subject: 'printer on fire' });
      expect(again.status).toBe('failed');
      expect(again.error?.type).toBe('validation_error');
      expect(again.error?.message).toContain('ER_DUP_ENTRY');
    });

    it('refuses a statement with a placeholder count that does not match params (422 over /test)', async () => {
      const response = await api('POST', '/v1/connections/tickets-db/test', {
        body: {
          operation: 'query',
          input: { sql: 'SELECT * FROM tickets WHERE id = ? AND subject = ?', params: [1] },
        },
      });
      expect(response.status).toBe(422);
      expect(response.contentType).toContain('application/problem+json');
      expect(response.body).toMatchObject({ errors: [{ field: 'input.params' }] });
    });
  });

  describe('a target that is down', () => {
    it('opens the breaker; steps then fail fast naming it, and every attempt stays in /v1/deliveries', async () => {
      // A port nothing listens on: a server started and closed again.
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      await createConnection({
        name: 'down-api',
        connector: 'http',
        config: {
          base_url: `http://127.0.0.1:${port}`,
          resilience: { retries: 0, breaker_min_calls: 2, breaker_reset_ms: 600_000 },
        },
      });
      await orchestrate.createWorkflow({
        name: 'call-down-api',
        steps: [
          {
            name: 'call',
            action: 'down-api.request',
            input: { path: '/x' },
            retry: { max_attempts: 1 },
          },
        ],
      });
      const first = await run('call-down-api', {});
      const second = await run('call-down-api', {});
      for (const failed of [first, second]) {
        expect(failed.error).toEqual({
          type: 'system_error',
          message: "http connection 'down-api' request failed: ECONNREFUSED",
        });
      }
      const third = await run('call-down-api', {});
      expect(third.status).toBe('failed');
      expect(third.error?.type).toBe('system_error');
      expect(third.error?.message).toContain("circuit breaker of connection 'down-api' is open");

      const health = await api<{ breaker: string; errors: { system_error: number } }>(
        'GET',
        '/v1/connections/down-api/health',
      );
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ breaker: 'open', errors: { system_error: 3 } });
      expect(
        await metricValue('integration-manager', 'baton_connector_breaker_state', {
          connection: 'down-api',
        }),
      ).toBe(2);

      const deliveries = await api<{ items: DeliveryView[] }>(
        'GET',
        `/v1/deliveries?run_id=${third.id}`,
      );
      expect(deliveries.body.items).toEqual([
        expect.objectContaining({
          action: 'down-api.request',
          connection: 'down-api',
          status: 'failed',
          error: expect.stringContaining('circuit breaker') as string,
        }),
      ]);
    });
  });

  describe('connections API', () => {
    it('refuses bad connections with 422 naming the field', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ name: 'x1', connector: 'carrier-pigeon', config: {} }, 'connector'],
        [{ name: 'x2', connector: 'http', config: { base_url: 42 } }, 'config.base_url'],
        [{ name: 'x3', connector: 'http', config: {} }, 'config.base_url'],
        [
          {
            name: 'x4',
            connector: 'http',
            config: { base_url: 'https://api.example.com', auth: { type: 'kerberos' } },
          },
          'config.auth.type',
        ],
        [
          {
            name: 'x5',
            connector: 'http',
            config: { base_url: 'https://api.example.com', auth: { type: 'bearer' } },
          },
          'secrets.token',
        ],
        [
          {
            name: 'x6',
            connector: 'postgres',
            config: { host: '10.1.2.3', database: 'd', user: 'u' },
          },
          'config.host',
        ],
        [
          {
            name: 'x7',
            connector: 'postgres',
            config: { host: '169.254.169.254', database: 'd', user: 'u' },
          },
          'config.host',
        ],
        [
          {
            name: 'x8',
            connector: 'mysql',
            config: { host: '127.0.0.1', database: 'd', user: 'u', max_rows: 0 },
          },
          'config.max_rows',
        ],
        [
          {
            name: 'x9',
            connector: 'http',
            config: { base_url: 'https://api.example.com' },
            secrets: { passwd: 'x' },
          },
          'secrets.passwd',
        ],
      ];
      for (const [body, field] of cases) {
        const response = await api<{ errors: { field: string }[] }>('POST', '/v1/connections', {
          body,
        });
        expect({ name: body.name, status: response.status, type: response.contentType }).toEqual({
          name: body.name,
          status: 422,
          type: expect.stringContaining('application/problem+json') as string,
        });
        expect({ name: body.name, field: response.body.errors[0].field }).toEqual({
          name: body.name,
          field,
        });
      }
      const unknownOperation = await api('POST', '/v1/connections/crm-none/test', {
        body: { operation: 'teleport' },
      });
      expect(unknownOperation.status).toBe(422);
      expect(unknownOperation.body).toMatchObject({ errors: [{ field: 'operation' }] });
      const badInput = await api('POST', '/v1/connections/crm-none/test', {
        body: { operation: 'request', input: { method: 'BREW', path: '/x' } },
      });
      expect(badInput.status).toBe(422);
      expect(badInput.body).toMatchObject({ errors: [{ field: 'input.method' }] });
    });

    it('gets, patches and deletes a connection, never returning secrets', async () => {
      const got = await api<ConnectionView>('GET', '/v1/connections/crm-basic');
      expect(got.status).toBe(200);
      expect(got.body).toMatchObject({ name: 'crm-basic', connector: 'http', has_secrets: true });
      expect(JSON.stringify(got.body)).not.toContain('open-sesame');

      const patched = await api<ConnectionView>('PATCH', '/v1/connections/crm-basic', {
        body: { config: { headers: { 'x-team': 'support' } }, secrets: { password: 'wrong' } },
      });
      expect(patched.status).toBe(200);
      expect(patched.body.config).toMatchObject({
        headers: { 'x-team': 'support' },
        auth: { type: 'basic', username: 'ada' },
      });
      expect(JSON.stringify(patched.body)).not.toContain('wrong');
      // The new password is used at once: the CRM now refuses it.
      const refused = await api<{ ok: boolean; error: { type: string } }>(
        'POST',
        '/v1/connections/crm-basic/test',
      );
      expect(refused.body).toMatchObject({ ok: false, error: { type: 'validation_error' } });
      const bad = await api('PATCH', '/v1/connections/crm-basic', {
        body: { config: { auth: { type: 'bearer' } } },
      });
      expect(bad.status).toBe(422);

      const deleted = await api('DELETE', '/v1/connections/crm-basic');
      expect(deleted.status).toBe(204);
      expect((await api('GET', '/v1/connections/crm-basic')).status).toBe(404);
      expect((await api('DELETE', '/v1/connections/crm-basic')).status).toBe(404);
      expect((await api('GET', '/v1/connections/crm-basic/health')).status).toBe(404);
    });

    it('keeps workspaces apart: another workspace finds none of these connections', async () => {
      const asOther = (type: string, data: unknown) =>
        requests.request(Topics.integrationCommands, type, data, {
          workspaceId: 'other-workspace',
          source: 'connectors-e2e',
          timeoutMs: 15_000,
        });
      for (const [type, data] of [
        [MessageTypes.connectionGet, { name: 'cases-db' }],
        [MessageTypes.connectionUpdate, { name: 'cases-db', config: { max_rows: 5 } }],
        [MessageTypes.connectionTest, { name: 'cases-db' }],
        [MessageTypes.connectionHealth, { name: 'cases-db' }],
        [MessageTypes.connectionDelete, { name: 'cases-db' }],
      ] as const) {
        await expect(asOther(type, data)).rejects.toMatchObject({
          code: 'CONNECTION.NOT_FOUND',
          category: 'RESOURCE.NOT_FOUND',
        });
      }
      const list = (await asOther(MessageTypes.connectionList, {})) as { items: unknown[] };
      expect(list.items).toEqual([]);
      expect((await api('GET', '/v1/connections/cases-db')).status).toBe(200);
    });
  });

  it('keeps send-message working on a webhook connection', async () => {
    const seen = crm.seen.length;
    await createConnection({
      name: 'notify',
      connector: 'webhook',
      config: { url: `${crm.url}/none/hooks` },
    });
    await orchestrate.createWorkflow({
      name: 'notify-someone',
      steps: [
        { name: 'send', action: 'send-message', connection: 'notify', input: { text: 'hi' } },
      ],
    });
    const result = await run('notify-someone', {});
    expect(result.status).toBe('completed');
    expect(result.steps[0].output).toEqual({
      delivered: true,
      status: 200,
      response: { ok: true },
    });
    await eventually(
      async () => (crm.seen.length > seen ? true : undefined),
      5_000,
      'webhook call',
    );
    const call = crm.seen[crm.seen.length - 1];
    expect(call).toMatchObject({ method: 'POST', path: '/none/hooks' });
    expect(JSON.parse(call.body)).toMatchObject({ message: { text: 'hi' }, run_id: result.id });
  });
});
