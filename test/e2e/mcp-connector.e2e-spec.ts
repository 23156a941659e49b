import type { OrchestratePlatform } from '@baton/sdk';
import { Server as McpServer } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { api, sdk } from './support/platform';
import { uniqueName } from './support/scripted-server';

type Problem = { status: number; errors?: { field: string }[] };

const TOOLS = [
  {
    name: 'lookup_order',
    description: 'an order and its shipping status',
    inputSchema: {
      type: 'object',
      required: ['order_id'],
      properties: { order_id: { type: 'string' } },
    },
    annotations: { readOnlyHint: true },
  },
  {
    name: 'reserve_stock',
    description: 'fails: the inventory is offline',
    inputSchema: { type: 'object', properties: { sku: { type: 'string' } } },
  },
];

/** An MCP server (the official SDK, Streamable HTTP) with two tools; counts calls, keeps headers. */
class ToolServer {
  readonly calls: { tool: string; args: unknown; authorization?: string }[] = [];
  private server?: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        void this.answer(req, res, Buffer.concat(chunks).toString('utf8'));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/mcp`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private async answer(
    req: IncomingMessage,
    res: import('node:http').ServerResponse,
    body: string,
  ): Promise<void> {
    const server = new McpServer(
      { name: 'orders-tools', version: '1.0.0' },
      { capabilities: { tools: {} } },
    );
    server.setRequestHandler(ListToolsRequestSchema, () => Promise.resolve({ tools: TOOLS }));
    server.setRequestHandler(CallToolRequestSchema, (request) => {
      const { name, arguments: args } = request.params;
      this.calls.push({ tool: name, args, authorization: req.headers.authorization });
      if (name === 'reserve_stock') {
        return Promise.resolve({
          isError: true,
          content: [{ type: 'text', text: 'inventory offline' }],
        });
      }
      const order = { order_id: (args as { order_id: string }).order_id, status: 'shipped' };
      return Promise.resolve({
        content: [{ type: 'text', text: JSON.stringify(order) }],
        structuredContent: order,
      });
    });
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    res.on('close', () => void server.close());
    await server.connect(transport);
    await transport.handleRequest(req, res, body ? (JSON.parse(body) as unknown) : undefined);
  }
}

/** A connection of kind mcp: a server's tools as operations of workflow steps. */
describe('MCP connector: tools of an MCP server as workflow actions', () => {
  const tools = new ToolServer();
  let orchestrate: OrchestratePlatform;
  const connection = uniqueName('order-tools');

  beforeAll(async () => {
    await tools.start();
    orchestrate = sdk();
    const created = await api('POST', '/v1/connections', {
      body: {
        name: connection,
        connector: 'mcp',
        config: { url: tools.url },
        secrets: { token: 'mcp-secret-token' },
      },
    });
    expect(created.status).toBe(201);
  });

  afterAll(() => tools.stop());

  it("lists the server's tools as the connection's operations, with their input schemas", async () => {
    const listed = await api<{ items: { name: string; input_schema: unknown }[] }>(
      'GET',
      `/v1/connections/${connection}/operations`,
    );
    expect(listed.status).toBe(200);
    const names = listed.body.items.map((operation) => operation.name);
    expect(names).toEqual(expect.arrayContaining(['lookup_order', 'reserve_stock']));
    expect(listed.body.items.find((o) => o.name === 'lookup_order')?.input_schema).toMatchObject({
      required: ['order_id'],
    });
  });

  it('calls a tool from a step, with the token as a bearer credential, and keeps its output', async () => {
    const workflow = uniqueName('mcp-lookup');
    await orchestrate.createWorkflow({
      name: workflow,
      steps: [
        {
          name: 'lookup',
          action: `${connection}.lookup_order`,
          input: { order_id: '${input.order_id}' },
        },
      ],
    });
    const run = await orchestrate.waitForRun(
      (await orchestrate.startRun(workflow, { order_id: 'A-17' })).id,
    );
    expect(run.status).toBe('completed');
    expect(run.steps[0].output).toEqual({ order_id: 'A-17', status: 'shipped' });
    const call = tools.calls.find((c) => c.tool === 'lookup_order');
    expect(call).toMatchObject({
      args: { order_id: 'A-17' },
      authorization: 'Bearer mcp-secret-token',
    });
  });

  it('fails the step as a validation_error naming the field when the input misses the schema', async () => {
    const before = tools.calls.length;
    const workflow = uniqueName('mcp-bad-input');
    await orchestrate.createWorkflow({
      name: workflow,
      steps: [{ name: 'lookup', action: `${connection}.lookup_order`, input: { wrong: 1 } }],
    });
    const run = await orchestrate.waitForRun((await orchestrate.startRun(workflow, {})).id);
    expect(run.status).toBe('failed');
    expect(run.steps[0].error).toMatchObject({ type: 'validation_error' });
    expect(run.steps[0].error?.message).toMatch(/order_id/);
    expect(tools.calls.length).toBe(before);
  });

  it("fails the step with the tool's own words when the tool answers isError", async () => {
    const workflow = uniqueName('mcp-tool-error');
    await orchestrate.createWorkflow({
      name: workflow,
      steps: [{ name: 'reserve', action: `${connection}.reserve_stock`, input: { sku: 'X' } }],
    });
    const run = await orchestrate.waitForRun((await orchestrate.startRun(workflow, {})).id);
    expect(run.status).toBe('failed');
    expect(run.steps[0].error).toMatchObject({ type: 'system_error' });
    expect(run.steps[0].error?.message).toMatch(/inventory offline/);
  });

  it('refuses an internal server address and a credential in headers, naming the field', async () => {
    const internal = await api<Problem>('POST', '/v1/connections', {
      body: {
        name: uniqueName('meta'),
        connector: 'mcp',
        config: { url: 'http://169.254.169.254/mcp' },
      },
    });
    expect(internal.status).toBe(422);
    expect(internal.body.errors?.[0].field).toBe('config.url');
    const inHeaders = await api<Problem>('POST', '/v1/connections', {
      body: {
        name: uniqueName('leaky'),
        connector: 'mcp',
        config: { url: tools.url, headers: { Authorization: 'Bearer x' } },
      },
    });
    expect(inHeaders.status).toBe(422);
    expect(inHeaders.body.errors?.[0].field).toBe('config.headers.authorization');
  });
});
