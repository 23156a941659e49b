import type { ConnectionView, RunView } from '@baton/contracts';
import type { OrchestratePlatform } from '@baton/sdk';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { api, sdk } from './support/platform';

interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/**
 * One local server standing in for a documented API and for two vendors:
 * /openapi.yaml serves an OpenAPI document whose operations live under
 * /api; /zendesk/api/v2 and /jira/rest/api/3 answer as those vendors do,
 * checking their auth.
 */
class VendorServer {
  readonly seen: Seen[] = [];
  private server?: Server;
  url = '';
  document = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const path = req.url ?? '/';
        this.seen.push({ method: req.method ?? '', path, headers: req.headers, body });
        const send = (status: number, payload: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(payload));
        };
        if (path === '/openapi.yaml') {
          res.writeHead(200, { 'content-type': 'application/yaml' });
          return res.end(this.document);
        }
        const auth = req.headers.authorization ?? '';
        if (path.startsWith('/api/')) {
          if (req.headers['x-api-key'] !== 'doc-key') return send(401, { error: 'key' });
          if (req.method === 'POST' && path === '/api/orders')
            return send(201, { id: 'o-1', order: JSON.parse(body) as unknown });
          const order = /^\/api\/orders\/([^/?]+)(\?.*)?$/.exec(path);
          if (req.method === 'GET' && order)
            return send(200, { id: order[1], query: order[2] ?? '' });
          return send(404, { error: 'no such path' });
        }
        if (path.startsWith('/zendesk/api/v2/')) {
          const expected = `Basic ${Buffer.from('agent@example.com/token:zd-token').toString('base64')}`;
          if (auth !== expected) return send(401, { error: 'Couldn’t authenticate you' });
          if (req.method === 'POST' && path === '/zendesk/api/v2/tickets') {
            const ticket = (JSON.parse(body) as { ticket: Record<string, unknown> }).ticket;
            return send(201, { ticket: { id: 35436, ...ticket } });
          }
          return send(404, { error: 'InvalidEndpoint' });
        }
        if (path.startsWith('/jira/rest/api/3/')) {
          const expected = `Basic ${Buffer.from('me@example.com:atl-token').toString('base64')}`;
          if (auth !== expected) return send(401, { errorMessages: ['unauthorised'] });
          if (req.method === 'POST' && path === '/jira/rest/api/3/issue')
            return send(201, {
              id: '10000',
              key: 'OPS-1',
              self: `${this.url}/jira/rest/api/3/issue/10000`,
            });
          const issue = /^\/jira\/rest\/api\/3\/issue\/([^/?]+)/.exec(path);
          if (req.method === 'GET' && issue)
            return send(200, { key: issue[1], fields: { summary: 'x' } });
        }
        send(404, { error: 'no such resource' });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    this.document = `openapi: 3.0.3
info: { title: Orders, version: "1" }
servers:
  - url: ${this.url}/api
paths:
  /orders:
    post:
      operationId: createOrder
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: '#/components/schemas/Order' }
      responses: { "201": { description: created } }
  /orders/{orderId}:
    get:
      operationId: getOrder
      parameters:
        - { name: orderId, in: path, required: true, schema: { type: string } }
        - { name: expand, in: query, schema: { type: string, enum: [lines, none] } }
      responses: { "200": { description: ok } }
components:
  schemas:
    Order:
      type: object
      required: [sku, quantity]
      properties:
        sku: { type: string }
        quantity: { type: integer, minimum: 1 }
`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }
}

async function put(body: Record<string, unknown>): Promise<ConnectionView> {
  const response = await api<ConnectionView>('POST', '/v1/connections', { body });
  if (![200, 201].includes(response.status))
    throw new Error(
      `connection ${String(body.name)}: ${response.status} ${JSON.stringify(response.body)}`,
    );
  return response.body;
}

describe('openapi connector and enterprise packs through workflow runs', () => {
  let orchestrate: OrchestratePlatform;
  const vendor = new VendorServer();

  const run = async (workflow: string, input: Record<string, unknown>): Promise<RunView> =>
    orchestrate.waitForRun((await orchestrate.startRun(workflow, input)).id, 60_000);

  beforeAll(async () => {
    orchestrate = sdk();
    await vendor.start();
  });

  afterAll(async () => {
    await vendor.stop();
  });

  it('imports a document by URL, lists its operations, and calls them from a workflow', async () => {
    await put({
      name: 'orders',
      connector: 'openapi',
      config: {
        document_url: `${vendor.url}/openapi.yaml`,
        auth: { type: 'api_key', header: 'X-Api-Key' },
      },
      secrets: { api_key: 'doc-key' },
    });
    const listed = await api<{
      items: { name: string; method: string; path: string; input_schema: unknown }[];
    }>('GET', '/v1/connections/orders/operations');
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((o) => [o.name, o.method, o.path])).toEqual([
      ['createOrder', 'POST', '/orders'],
      ['getOrder', 'GET', '/orders/{orderId}'],
    ]);
    expect(listed.body.items[0].input_schema).toMatchObject({
      required: ['body'],
      properties: { body: { required: ['sku', 'quantity'] } },
    });

    await orchestrate.createWorkflow({
      name: 'orders-openapi',
      steps: [
        {
          name: 'create',
          action: 'orders.createOrder',
          input: { body: { sku: '${input.sku}', quantity: 2 } },
        },
        {
          name: 'read',
          action: 'orders.getOrder',
          input: { path_params: { orderId: 'o-1' }, query: { expand: 'lines' } },
        },
      ],
    });
    const result = await run('orders-openapi', { sku: 'BOOK-1' });
    expect(result.status).toBe('completed');
    expect(result.steps[0].output).toMatchObject({
      status: 201,
      body: { id: 'o-1', order: { sku: 'BOOK-1', quantity: 2 } },
    });
    expect(result.steps[1].output).toMatchObject({
      status: 200,
      body: { id: 'o-1', query: '?expand=lines' },
    });
    const create = vendor.seen.find((s) => s.method === 'POST' && s.path === '/api/orders')!;
    expect(create.headers['x-api-key']).toBe('doc-key');
    expect(JSON.parse(create.body)).toEqual({ sku: 'BOOK-1', quantity: 2 });
  });

  it('fails a step whose input breaks the document’s schema as validation_error, without calling out', async () => {
    await orchestrate.createWorkflow({
      name: 'orders-bad-input',
      steps: [
        {
          name: 'create',
          action: 'orders.createOrder',
          input: { body: { sku: 'X', quantity: 0 } },
        },
      ],
    });
    const before = vendor.seen.length;
    const result = await run('orders-bad-input', {});
    expect(result.status).toBe('failed');
    expect(JSON.stringify(result.steps[0])).toMatch(/validation_error/);
    expect(JSON.stringify(result.steps[0])).toMatch(/input\.body\.quantity/);
    expect(vendor.seen.length).toBe(before);
  });

  it('answers a document that does not parse with 422 naming its line', async () => {
    const response = await api<{ errors: { field: string; message: string; line?: number }[] }>(
      'POST',
      '/v1/connections',
      {
        body: {
          name: 'broken-doc',
          connector: 'openapi',
          config: {
            document: 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths:\n  /x: [unclosed\n',
            base_url: vendor.url,
          },
        },
      },
    );
    expect(response.status).toBe(422);
    expect(response.body.errors[0]).toMatchObject({
      field: 'config.document',
      line: expect.any(Number) as number,
    });
    expect(response.body.errors[0].message).toMatch(/^line \d+: does not parse/);
  });

  it('lists the packs with their config schemas', async () => {
    const response = await api<{
      items: { kind: string; pack?: { based_on: string }; config_schema: object }[];
    }>('GET', '/v1/connectors');
    const packs = response.body.items
      .filter((c) => c.pack?.based_on === 'openapi')
      .map((c) => c.kind);
    expect(packs.sort()).toEqual([
      'hubspot',
      'jira',
      'salesforce',
      'sap-s4hana',
      'servicenow',
      'zendesk',
    ]);
  });

  it('runs Zendesk and Jira pack operations with the vendors’ auth', async () => {
    await put({
      name: 'helpdesk',
      connector: 'zendesk',
      config: { instance_url: `${vendor.url}/zendesk`, email: 'agent@example.com' },
      secrets: { api_token: 'zd-token' },
    });
    await put({
      name: 'tracker',
      connector: 'jira',
      config: { instance_url: `${vendor.url}/jira`, email: 'me@example.com' },
      secrets: { api_token: 'atl-token' },
    });
    await orchestrate.createWorkflow({
      name: 'escalate',
      steps: [
        {
          name: 'ticket',
          action: 'helpdesk.createTicket',
          input: {
            body: {
              ticket: {
                subject: '${input.subject}',
                comment: { body: 'Customer reports an outage' },
              },
            },
          },
        },
        {
          name: 'issue',
          action: 'tracker.createIssue',
          input: {
            body: {
              fields: {
                project: { key: 'OPS' },
                issuetype: { name: 'Bug' },
                summary: '${input.subject}',
              },
            },
          },
        },
      ],
    });
    const result = await run('escalate', { subject: 'Checkout down' });
    expect(result.status).toBe('completed');
    expect(result.steps[0].output).toMatchObject({
      status: 201,
      body: { ticket: { id: 35436, subject: 'Checkout down' } },
    });
    expect(result.steps[1].output).toMatchObject({ status: 201, body: { key: 'OPS-1' } });
    const ticket = vendor.seen.find((s) => s.path === '/zendesk/api/v2/tickets')!;
    expect(JSON.parse(ticket.body)).toEqual({
      ticket: { subject: 'Checkout down', comment: { body: 'Customer reports an outage' } },
    });
    const issue = vendor.seen.find((s) => s.path === '/jira/rest/api/3/issue')!;
    expect(issue.method).toBe('POST');
    expect(JSON.parse(issue.body)).toEqual({
      fields: { project: { key: 'OPS' }, issuetype: { name: 'Bug' }, summary: 'Checkout down' },
    });
  });
});
