import { AgentWorker, type OrchestratePlatform } from '@baton/sdk';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { api, platformState, sdk } from './support/platform';
import { uniqueName } from './support/scripted-server';
import { bootstrapKey, issueKey, workspaceWithKeys } from './support/workspaces';

type ToolResult = {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
  content: { type: string; text?: string }[];
};

/** An MCP client of the official SDK, connected to the gateway's /mcp with `apiKey`. */
async function mcpClient(apiKey: string): Promise<Client> {
  const client = new Client({ name: 'baton-e2e', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(
    new URL(`${platformState().gatewayUrl}/mcp`),
    {
      requestInit: { headers: { authorization: `Bearer ${apiKey}` } },
    },
  );
  await client.connect(transport);
  return client;
}

/** Baton as an MCP server: workflows and agents of the caller's workspace as tools. */
describe('MCP server on the gateway', () => {
  let orchestrate: OrchestratePlatform;
  let worker: AgentWorker;
  const echo = uniqueName('mcp-echo');
  const workflow = uniqueName('mcp-flow');
  const clients: Client[] = [];

  beforeAll(async () => {
    orchestrate = sdk();
    await orchestrate.registerAgent({
      name: echo,
      type: 'worker',
      input_schema: {
        type: 'object',
        required: ['text'],
        properties: { text: { type: 'string' } },
      },
    });
    await orchestrate.createWorkflow({
      name: workflow,
      input_schema: { type: 'object', required: ['text'] },
      steps: [{ name: 'echo', agent: echo, input: '${input}' }],
    });
    worker = new AgentWorker({
      agent: echo,
      brokers: platformState().kafkaBrokers.split(','),
      handler: (input) => ({ echoed: (input as { text: string }).text }),
    });
    await worker.start();
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await worker.stop();
  });

  async function connect(apiKey: string): Promise<Client> {
    const client = await mcpClient(apiKey);
    clients.push(client);
    return client;
  }

  it('lists the workspace’s workflows and agents as tools with their input schemas', async () => {
    const client = await connect(bootstrapKey());
    const { tools } = await client.listTools();
    const agentTool = tools.find((tool) => tool.name === `agent.${echo}`);
    const workflowTool = tools.find((tool) => tool.name === `workflow.${workflow}`);
    expect(agentTool?.inputSchema).toMatchObject({
      type: 'object',
      required: ['input'],
      properties: { input: { type: 'object', required: ['text'] } },
    });
    expect(workflowTool?.inputSchema).toMatchObject({
      properties: { input: { type: 'object', required: ['text'] } },
    });
  });

  it('invokes an agent and starts a workflow, answering their output', async () => {
    const client = await connect(bootstrapKey());
    const invoked = (await client.callTool({
      name: `agent.${echo}`,
      arguments: { input: { text: 'hello from an IDE' } },
    })) as ToolResult;
    expect(invoked.isError).toBe(false);
    expect(invoked.structuredContent).toMatchObject({
      status: 'completed',
      output: { echoed: 'hello from an IDE' },
    });

    const ran = (await client.callTool({
      name: `workflow.${workflow}`,
      arguments: { input: { text: 'a run through MCP' } },
    })) as ToolResult;
    expect(ran.isError).toBe(false);
    expect(ran.structuredContent).toMatchObject({ status: 'completed' });
    const run = await orchestrate.getRun(String(ran.structuredContent?.run_id));
    expect(run.steps[0].output).toEqual({ echoed: 'a run through MCP' });
  });

  it('reports bad input as a tool error with the problem, naming the field', async () => {
    const client = await connect(bootstrapKey());
    const refused = (await client.callTool({
      name: `workflow.${workflow}`,
      arguments: { input: { not_text: 1 } },
    })) as ToolResult;
    expect(refused.isError).toBe(true);
    expect(JSON.stringify(refused.structuredContent)).toMatch(/text/);
    await expect(client.callTool({ name: 'nothing.here', arguments: {} })).rejects.toThrow(
      /unknown tool/,
    );
  });

  it('offers a viewer no tools and refuses its calls', async () => {
    const viewer = await issueKey('default', 'viewer');
    const client = await connect(viewer);
    expect((await client.listTools()).tools).toEqual([]);
    const refused = (await client.callTool({
      name: `agent.${echo}`,
      arguments: { input: { text: 'x' } },
    })) as ToolResult;
    expect(refused.isError).toBe(true);
    expect(refused.structuredContent).toMatchObject({ error: { code: 'AUTH.FORBIDDEN' } });
  });

  it('keeps workspaces apart: another workspace sees none of these tools and cannot call them', async () => {
    const { keys } = await workspaceWithKeys('mcp-other', 1);
    const client = await connect(keys[0]);
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).not.toContain(`agent.${echo}`);
    expect(names).not.toContain(`workflow.${workflow}`);
    const refused = (await client.callTool({
      name: `agent.${echo}`,
      arguments: { input: { text: 'x' } },
    })) as ToolResult;
    expect(refused.isError).toBe(true);
    expect(refused.structuredContent).toMatchObject({ error: { status: 404 } });
  });

  it('answers 401 without a credential, and 405 to the stream GET', async () => {
    const anonymous = await api('POST', '/mcp', {
      apiKey: '',
      body: { jsonrpc: '2.0', id: 1, method: 'tools/list' },
    });
    expect(anonymous.status).toBe(401);
    const stream = await api('GET', '/mcp');
    expect(stream.status).toBe(405);
  });
});
