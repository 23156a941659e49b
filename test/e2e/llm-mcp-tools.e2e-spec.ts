import type { LlmCallView, Page, RunView } from '@baton/contracts';
import type { OrchestratePlatform } from '@baton/sdk';
import { api, sdk } from './support/platform';
import { McpToolServer } from './support/mcp-tool-server';
import { ScriptedServer, uniqueName, type ScriptedRequest } from './support/scripted-server';
import { workspaceWithKeys, clearDefaultLlmBudget } from './support/workspaces';

/** Priced in global-setup (LLM_PRICES). */
const MODEL = 'recorded-model';
const MCP_TOKEN = 'mcp-agent-tools-token';

type ChatMessage = { role: string; content: string | null; tool_call_id?: string };
type ChatRequest = {
  model: string;
  messages: ChatMessage[];
  tools?: { function: { name: string; description: string; parameters: unknown } }[];
};
type Problem = { status: number; errors?: { field: string; message: string }[] };

/** The MCP server of the test: one tool, counting its calls. */
const tools = new McpToolServer([
  {
    name: 'lookup_order',
    description: 'an order and its shipping status',
    inputSchema: {
      type: 'object',
      required: ['order_id'],
      properties: { order_id: { type: 'string' } },
    },
    answer: (args) => ({ order_id: args.order_id, status: 'shipped' }),
  },
  {
    name: 'warehouse_stock',
    description: 'stock of a SKU, from a warehouse that is offline',
    inputSchema: { type: 'object', properties: { order_id: { type: 'string' } } },
    answer: () => {
      throw new Error('warehouse offline');
    },
  },
]);

/**
 * An OpenAI-compatible model that asks for the first tool it is offered with
 * the order id of its input, then answers with what the tool said.
 */
const model = new ScriptedServer((request: ScriptedRequest) => {
  const body = request.json as ChatRequest;
  const toolAnswer = body.messages.find((m) => m.role === 'tool');
  const message = toolAnswer
    ? {
        role: 'assistant',
        content: JSON.stringify({
          answered_with: JSON.parse(toolAnswer.content ?? 'null') as unknown,
        }),
      }
    : {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: {
              name: body.tools?.[0]?.function.name ?? 'none',
              arguments: JSON.stringify({
                order_id: (JSON.parse(body.messages[1].content ?? '{}') as { order_id: string })
                  .order_id,
              }),
            },
          },
        ],
      };
  return {
    body: {
      id: `chatcmpl-mcp-${request.path}`,
      object: 'chat.completion',
      model: body.model,
      choices: [{ index: 0, finish_reason: toolAnswer ? 'stop' : 'tool_calls', message }],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    },
  };
});

function requestsOf(prompt: string): ChatRequest[] {
  return model.received
    .map((r) => r.json as ChatRequest)
    .filter((r) => r.messages[0]?.content?.includes(prompt));
}

/** `tools: [mcp:<connection>/<tool>]` of an llm agent (issue 27, ADR 0040). */
describe('llm agents call MCP tools through their connection', () => {
  let orchestrate: OrchestratePlatform;
  const connection = uniqueName('agent-tools');

  beforeAll(async () => {
    await clearDefaultLlmBudget();
    await Promise.all([tools.start(), model.start()]);
    orchestrate = sdk();
    const created = await api('POST', '/v1/connections', {
      body: {
        name: connection,
        connector: 'mcp',
        config: { url: tools.url },
        secrets: { token: MCP_TOKEN },
      },
    });
    expect(created.status).toBe(201);
  });

  afterAll(async () => {
    await Promise.all([tools.stop(), model.stop()]);
  });

  function agentBody(name: string, prompt: string, agentTools: unknown) {
    return {
      name,
      type: 'llm',
      config: {
        base_url: `${model.url}/v1`,
        model: MODEL,
        system_prompt: prompt,
        tools: agentTools,
      },
    };
  }

  it('offers the tool with its input schema, calls it with the connection, and replays without calling it again', async () => {
    const agent = uniqueName('order-assistant');
    const prompt = `Answer as ${agent}.`;
    const registered = await api('POST', '/v1/agents', {
      body: agentBody(agent, prompt, [`mcp:${connection}/lookup_order`]),
    });
    expect(registered.status).toBe(201);
    const workflow = uniqueName('order-question');
    await orchestrate.createWorkflow({
      name: workflow,
      steps: [{ name: 'ask', agent, input: '${input}' }],
    });

    const run = await orchestrate.waitForRun(
      (await orchestrate.startRun(workflow, { order_id: 'A-17' })).id,
    );
    expect(run.status).toBe('completed');
    expect(run.steps[0].output).toEqual({
      answered_with: { output: { order_id: 'A-17', status: 'shipped' } },
    });
    // The model was offered the tool with the server's input schema.
    const [first, second] = requestsOf(prompt);
    expect(first.tools).toHaveLength(1);
    expect(first.tools![0].function).toMatchObject({
      name: `${connection}__lookup_order`,
      description: 'an order and its shipping status',
      parameters: { required: ['order_id'] },
    });
    expect(second.messages.some((m) => m.role === 'tool')).toBe(true);
    // The server was called once, with the connection's credential.
    expect(tools.calls).toEqual([
      { tool: 'lookup_order', args: { order_id: 'A-17' }, authorization: `Bearer ${MCP_TOKEN}` },
    ]);
    const calls = await api<Page<LlmCallView>>('GET', `/v1/runs/${run.id}/llm-calls`);
    expect(calls.body.items).toHaveLength(2);
    expect(JSON.stringify(calls.body)).not.toContain(MCP_TOKEN);
    // The tool call is listed with the model answer that asked for it.
    expect(calls.body.items[0].tool_calls).toEqual([
      expect.objectContaining({
        tool: `${connection}/lookup_order`,
        index: 0,
        arguments: { order_id: 'A-17' },
        output: { order_id: 'A-17', status: 'shipped' },
        discarded: false,
      }),
    ]);
    expect(calls.body.items[1].tool_calls).toEqual([]);

    // A replay takes both model answers and the tool's answer from the record.
    await replayedWithSameOutput(run);
    expect(requestsOf(prompt)).toHaveLength(2);
    expect(tools.calls).toHaveLength(1);

    // Refreshing the step asks the model and the tool again.
    const refreshed = await api<RunView>('POST', `/v1/runs/${run.id}/replay`, {
      body: { refresh: ['ask'] },
    });
    expect(refreshed.status).toBe(201);
    expect((await orchestrate.waitForRun(refreshed.body.id)).status).toBe('completed');
    expect(requestsOf(prompt)).toHaveLength(4);
    expect(tools.calls).toHaveLength(2);
  }, 120_000);

  /** `POST /v1/runs/{id}/replay` from the start: a new run, completed with the same output. */
  async function replayedWithSameOutput(run: RunView): Promise<RunView> {
    const replay = await api<RunView>('POST', `/v1/runs/${run.id}/replay`, { body: {} });
    expect(replay.status).toBe(201);
    const replayed = await orchestrate.waitForRun(replay.body.id);
    expect(replayed.status).toBe('completed');
    expect(replayed.steps[0].output).toEqual(run.steps[0].output);
    return replayed;
  }

  /** An llm agent given one tool, and a one-step workflow asking it. */
  async function agentWorkflow(toolRef: string): Promise<{ workflow: string; prompt: string }> {
    const agent = uniqueName('stock-assistant');
    const prompt = `Answer as ${agent}.`;
    const registered = await api('POST', '/v1/agents', {
      body: agentBody(agent, prompt, [toolRef]),
    });
    expect(registered.status).toBe(201);
    const workflow = uniqueName('stock-question');
    await orchestrate.createWorkflow({
      name: workflow,
      steps: [{ name: 'ask', agent, input: '${input}' }],
    });
    return { workflow, prompt };
  }

  it('hands a failing tool’s error to the model, records no answer for it, and calls it again on replay', async () => {
    const { workflow, prompt } = await agentWorkflow(`mcp:${connection}/warehouse_stock`);
    const before = tools.calls.length;
    const run = await orchestrate.waitForRun(
      (await orchestrate.startRun(workflow, { order_id: 'B-2' })).id,
    );
    // The model saw the tool's error and answered with it: the step is not failed by it.
    expect(run.status).toBe('completed');
    expect(JSON.stringify(run.steps[0].output)).toContain('warehouse offline');
    expect(tools.calls.slice(before).map((c) => c.tool)).toEqual(['warehouse_stock']);
    const calls = await api<Page<LlmCallView>>('GET', `/v1/runs/${run.id}/llm-calls`);
    expect(calls.body.items).toHaveLength(2);
    expect(calls.body.items.flatMap((c) => c.tool_calls)).toEqual([]);

    // A replay reuses both model answers, but the failed call had no answer to reuse.
    await replayedWithSameOutput(run);
    expect(requestsOf(prompt)).toHaveLength(2);
    expect(tools.calls.slice(before).map((c) => c.tool)).toEqual([
      'warehouse_stock',
      'warehouse_stock',
    ]);
  }, 120_000);

  it('tells the model when the MCP server cannot be reached, and the step still ends', async () => {
    const gone = new McpToolServer([
      {
        name: 'lookup_order',
        inputSchema: { type: 'object', properties: { order_id: { type: 'string' } } },
        answer: () => ({ status: 'never answered' }),
      },
    ]);
    await gone.start();
    const goneConnection = uniqueName('gone-tools');
    const created = await api('POST', '/v1/connections', {
      body: { name: goneConnection, connector: 'mcp', config: { url: gone.url } },
    });
    expect(created.status).toBe(201);
    const { workflow } = await agentWorkflow(`mcp:${goneConnection}/lookup_order`);
    await gone.stop();

    const run = await orchestrate.waitForRun(
      (await orchestrate.startRun(workflow, { order_id: 'C-3' })).id,
    );
    expect(run.status).toBe('completed');
    const answer = run.steps[0].output as { answered_with: { error?: unknown } };
    expect(answer.answered_with.error).toEqual(expect.anything());
    expect(gone.calls).toEqual([]);
    const calls = await api<Page<LlmCallView>>('GET', `/v1/runs/${run.id}/llm-calls`);
    expect(calls.body.items.flatMap((c) => c.tool_calls)).toEqual([]);
  }, 120_000);

  it('refuses an MCP tool the workspace does not have, naming config.tools[i]', async () => {
    const webhook = uniqueName('not-mcp');
    const created = await api('POST', '/v1/connections', {
      body: { name: webhook, connector: 'webhook', config: { url: `${model.url}/hook` } },
    });
    expect(created.status).toBe(201);
    const helper = uniqueName('helper-agent');
    const cases: [unknown[], string, string][] = [
      [['mcp:no-such-connection/lookup_order'], 'config.tools[0]', 'no connection'],
      [[helper, `mcp:${webhook}/request`], 'config.tools[1]', 'not an MCP server'],
      [[`mcp:${connection}/drop_tables`], 'config.tools[0]', "no tool 'drop_tables'"],
      [[`mcp:${connection}`], 'config.tools[0]', 'tool name'],
      [['Not An Agent'], 'config.tools[0]', 'agent name'],
    ];
    for (const [agentTools, field, message] of cases) {
      const refused = await api<Problem>('POST', '/v1/agents', {
        body: agentBody(uniqueName('refused-tools'), 'Refused.', agentTools),
      });
      expect(refused.status).toBe(422);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.body.errors).toEqual([expect.objectContaining({ field })]);
      expect(refused.body.errors![0].message).toContain(message);
    }
  });

  it("does not reach another workspace's MCP connection", async () => {
    const { keys } = await workspaceWithKeys('mcp-tools-other', 1);
    const refused = await api<Problem>('POST', '/v1/agents', {
      apiKey: keys[0],
      body: agentBody(uniqueName('cross-workspace'), 'Cross.', [`mcp:${connection}/lookup_order`]),
    });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([
      expect.objectContaining({
        field: 'config.tools[0]',
        message: expect.stringContaining('no connection'),
      }),
    ]);
  });
});
