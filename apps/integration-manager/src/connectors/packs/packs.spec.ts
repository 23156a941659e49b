import { DomainError } from '@baton/contracts';
import type { IntegrationEnv } from '../../integration-manager.env';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OperationError } from '../connector';
import { ConnectorRegistry } from '../connector-registry';
import { loadDocument } from '../openapi/openapi-document';
import { PACKS } from './index';

interface Seen {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A stand-in for the vendors: records every request, answers JSON (and OAuth tokens). */
let server: Server;
let base: string;
let seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method!, path: req.url!, headers: req.headers, body });
      res.setHeader('content-type', 'application/json');
      if (/oauth2\/token|oauth_token\.do/.test(req.url!)) {
        res.end(
          JSON.stringify({ access_token: 'access-1', token_type: 'Bearer', expires_in: 3600 }),
        );
        return;
      }
      if (req.headers['x-csrf-token'] === 'Fetch') {
        res.setHeader('x-csrf-token', 'csrf-123');
        res.setHeader('set-cookie', [
          'SAP_SESSIONID_S4H_100=sess-1; path=/; secure; HttpOnly',
          'sap-usercontext=sap-client=100; path=/',
        ]);
      }
      res.statusCode = req.method === 'POST' ? 201 : 200;
      res.end(JSON.stringify({ echoed: true }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await registry.onModuleDestroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen = [];
});

const registry = new ConnectorRegistry({
  CONNECTOR_ALLOWED_NETWORKS: '127.0.0.1/32',
} as IntegrationEnv);

/** One call as a workflow step makes it: config and secrets checked, input checked, then sent. */
async function call(
  kind: string,
  config: Record<string, unknown>,
  secrets: Record<string, string>,
  operationName: string,
  input: Record<string, unknown>,
) {
  const connector = await registry.validate(kind, config, secrets);
  const stored = { workspaceId: 'ws', name: kind, connector: kind, config, updatedAt: new Date(1) };
  const target = { key: `ws/${kind}-${Math.random()}`, name: kind, config, secrets };
  const operation = await registry.resolveOperation(connector, operationName, stored, target);
  registry.checkInput(connector, operation, input);
  operation.check?.(input, target);
  return operation.execute(
    { connection: target, signal: AbortSignal.timeout(5000), timeoutMs: 5000 },
    input,
  );
}

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const json = (s: Seen) => JSON.parse(s.body) as unknown;

describe('enterprise packs', () => {
  it('bundle documents that are valid OpenAPI and list only their operations', async () => {
    const expected: Record<string, string[]> = {
      salesforce: ['createCase', 'query'],
      servicenow: ['createIncident', 'getIncident', 'updateIncident'],
      zendesk: ['createTicket', 'getTicket'],
      hubspot: ['createContact', 'searchContacts'],
      jira: ['createIssue', 'getIssue'],
      'sap-s4hana': ['getBusinessPartner', 'createBusinessPartner'],
    };
    for (const pack of PACKS) {
      await expect(loadDocument(pack.document)).resolves.toBeDefined();
      expect([...registry.get(pack.kind)!.operations.keys()].sort()).toEqual(
        expected[pack.kind].sort(),
      );
    }
    const listed = registry.describe().find((c) => c.kind === 'zendesk')!;
    expect(listed.pack).toMatchObject({ based_on: 'openapi', vendor: 'Zendesk' });
    expect(listed.config_schema.required).toEqual(['instance_url', 'email']);
  });

  it('salesforce: OAuth client credentials at /services/oauth2/token, then the Case sObject and SOQL query', async () => {
    const config = {
      instance_url: base,
      api_version: 'v60.0',
      auth: { type: 'oauth2_client_credentials', client_id: 'consumer-key' },
    };
    const secrets = { client_secret: 'consumer-secret' };
    const created = await call('salesforce', config, secrets, 'createCase', {
      body: { Subject: 'Printer on fire', Origin: 'Web' },
    });
    expect(created.httpStatus).toBe(201);
    expect(seen[0].method).toBe('POST');
    expect(seen[0].path).toBe('/services/oauth2/token');
    const form = new URLSearchParams(seen[0].body);
    expect(Object.fromEntries(form)).toEqual({
      grant_type: 'client_credentials',
      client_id: 'consumer-key',
      client_secret: 'consumer-secret',
    });
    expect(seen[1]).toMatchObject({ method: 'POST', path: '/services/data/v60.0/sobjects/Case' });
    expect(seen[1].headers.authorization).toBe('Bearer access-1');
    expect(seen[1].headers['content-type']).toBe('application/json');
    expect(json(seen[1])).toEqual({ Subject: 'Printer on fire', Origin: 'Web' });

    seen = [];
    await call('salesforce', config, secrets, 'query', {
      query: { q: "SELECT Id FROM Case WHERE Subject = 'x'" },
    });
    const query = seen.find((s) => s.path.startsWith('/services/data/'))!;
    expect(query.method).toBe('GET');
    expect(query.path).toBe(
      '/services/data/v60.0/query?q=SELECT+Id+FROM+Case+WHERE+Subject+%3D+%27x%27',
    );
    expect(query.headers.authorization).toBe('Bearer access-1');
  });

  it('servicenow: Table API on incident with basic auth', async () => {
    const config = { instance_url: base, auth: { type: 'basic', username: 'integration' } };
    const secrets = { password: 'pw' };
    await call('servicenow', config, secrets, 'createIncident', {
      body: { short_description: 'VPN down', urgency: '1' },
    });
    await call('servicenow', config, secrets, 'getIncident', {
      path_params: { sys_id: '9d385017c611228701d22104cc95c371' },
      query: { sysparm_display_value: 'true' },
    });
    await call('servicenow', config, secrets, 'updateIncident', {
      path_params: { sys_id: '9d385017c611228701d22104cc95c371' },
      body: { state: '6' },
    });
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      'POST /api/now/table/incident',
      'GET /api/now/table/incident/9d385017c611228701d22104cc95c371?sysparm_display_value=true',
      'PATCH /api/now/table/incident/9d385017c611228701d22104cc95c371',
    ]);
    for (const s of seen) expect(s.headers.authorization).toBe(basic('integration', 'pw'));
    expect(json(seen[0])).toEqual({ short_description: 'VPN down', urgency: '1' });
    expect(json(seen[2])).toEqual({ state: '6' });
    expect(
      registry
        .get('servicenow')!
        .operations.get('updateIncident')!
        .idempotent({}, {} as never),
    ).toBe(true);
  });

  it('servicenow: OAuth 2.0 at /oauth_token.do', async () => {
    const config = {
      instance_url: base,
      auth: { type: 'oauth2_client_credentials', client_id: 'app' },
    };
    await call('servicenow', config, { client_secret: 's' }, 'getIncident', {
      path_params: { sys_id: 'abc' },
    });
    expect(seen[0]).toMatchObject({ method: 'POST', path: '/oauth_token.do' });
    expect(seen[1].headers.authorization).toBe('Bearer access-1');
  });

  it('zendesk: tickets with API token basic auth as {email}/token', async () => {
    const config = { instance_url: base, email: 'agent@example.com' };
    const secrets = { api_token: 'zd-token' };
    const ticket = { ticket: { subject: 'Help', comment: { body: 'It broke' }, priority: 'high' } };
    await call('zendesk', config, secrets, 'createTicket', { body: ticket });
    await call('zendesk', config, secrets, 'getTicket', { path_params: { ticket_id: 35436 } });
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      'POST /api/v2/tickets',
      'GET /api/v2/tickets/35436',
    ]);
    for (const s of seen)
      expect(s.headers.authorization).toBe(basic('agent@example.com/token', 'zd-token'));
    expect(json(seen[0])).toEqual(ticket);
  });

  it('hubspot: contacts create and search with the private app token as bearer', async () => {
    const config = { base_url: base };
    const secrets = { access_token: 'pat-na1-xyz' };
    await call('hubspot', config, secrets, 'createContact', {
      body: { properties: { email: 'a@example.com', firstname: 'Ada' } },
    });
    const search = {
      filterGroups: [
        { filters: [{ propertyName: 'email', operator: 'EQ', value: 'a@example.com' }] },
      ],
      properties: ['email'],
      limit: 10,
    };
    await call('hubspot', config, secrets, 'searchContacts', { body: search });
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      'POST /crm/v3/objects/contacts',
      'POST /crm/v3/objects/contacts/search',
    ]);
    for (const s of seen) expect(s.headers.authorization).toBe('Bearer pat-na1-xyz');
    expect(json(seen[0])).toEqual({ properties: { email: 'a@example.com', firstname: 'Ada' } });
    expect(json(seen[1])).toEqual(search);
  });

  it('jira: issues create and get with email + API token', async () => {
    const config = { instance_url: base, email: 'me@example.com' };
    const secrets = { api_token: 'atl-token' };
    const issue = {
      fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary: 'Rotate keys' },
    };
    await call('jira', config, secrets, 'createIssue', { body: issue });
    await call('jira', config, secrets, 'getIssue', {
      path_params: { issueIdOrKey: 'OPS-12' },
      query: { fields: 'summary,status' },
    });
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      'POST /rest/api/3/issue',
      'GET /rest/api/3/issue/OPS-12?fields=summary%2Cstatus',
    ]);
    for (const s of seen)
      expect(s.headers.authorization).toBe(basic('me@example.com', 'atl-token'));
    expect(json(seen[0])).toEqual(issue);
  });

  it('sap-s4hana: A_BusinessPartner over OData with basic auth, sap-client and JSON', async () => {
    const config = {
      host_url: base,
      sap_client: '100',
      auth: { type: 'basic', username: 'COMM_USER' },
    };
    const secrets = { password: 'sap-pw' };
    await call('sap-s4hana', config, secrets, 'getBusinessPartner', {
      path_params: { BusinessPartner: '1000042' },
      query: { $select: 'BusinessPartner,BusinessPartnerFullName' },
    });
    const partner = { BusinessPartnerCategory: '2', OrganizationBPName1: 'ACME' };
    await call('sap-s4hana', config, secrets, 'createBusinessPartner', { body: partner });
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      "GET /sap/opu/odata/sap/API_BUSINESS_PARTNER/A_BusinessPartner('1000042')?%24select=BusinessPartner%2CBusinessPartnerFullName",
      // The create first fetches the session's CSRF token from the service root.
      'GET /sap/opu/odata/sap/API_BUSINESS_PARTNER/',
      'POST /sap/opu/odata/sap/API_BUSINESS_PARTNER/A_BusinessPartner',
    ]);
    expect(seen[0].headers['x-csrf-token']).toBeUndefined();
    expect(seen[1].headers['x-csrf-token']).toBe('Fetch');
    expect(seen[2].headers['x-csrf-token']).toBe('csrf-123');
    expect(seen[2].headers.cookie).toBe(
      'SAP_SESSIONID_S4H_100=sess-1; sap-usercontext=sap-client=100',
    );
    for (const s of seen) {
      expect(s.headers.authorization).toBe(basic('COMM_USER', 'sap-pw'));
      expect(s.headers.accept).toBe('application/json');
      expect(s.headers['sap-client']).toBe('100');
    }
    expect(json(seen[2])).toEqual(partner);
  });

  it('refuses input the vendor schema refuses, and a pack config without its secret', async () => {
    await expect(
      call(
        'zendesk',
        { instance_url: base, email: 'a@example.com' },
        { api_token: 't' },
        'createTicket',
        {
          body: { ticket: { subject: 'no comment' } },
        },
      ),
    ).rejects.toMatchObject({ type: 'validation_error', field: 'input.body.ticket.comment' });
    await expect(
      call(
        'sap-s4hana',
        { host_url: base, auth: { type: 'basic', username: 'u' } },
        { password: 'p' },
        'getBusinessPartner',
        {
          path_params: { BusinessPartner: "1')/$batch?x=('" },
        },
      ),
    ).rejects.toBeInstanceOf(OperationError);
    await expect(
      registry.validate('jira', { instance_url: base, email: 'a@example.com' }, {}),
    ).rejects.toMatchObject({ errors: [{ field: 'secrets.api_token' }] });
    await expect(
      registry.validate('hubspot', { base_url: 'http://169.254.169.254' }, { access_token: 't' }),
    ).rejects.toBeInstanceOf(DomainError);
    expect(seen).toEqual([]);
  });
});
