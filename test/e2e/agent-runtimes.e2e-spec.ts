import type { OrchestratePlatform } from '@baton/sdk';
import { api, sdk } from './support/platform';
import {
  ScriptedServer,
  uniqueName,
  type ScriptedRequest,
  type ScriptedResponse,
} from './support/scripted-server';

type Problem = { status: number; code: string; detail: string; errors?: { field: string }[] };

const LLM_KEY = 'sk-e2e-llm-key';
/** The vault secret (workspace `default`) the llm agents name in api_key_secret. */
const LLM_KEY_SECRET = 'e2e-llm-key';

/** A remote HTTP agent: upper-cases the text it gets; answers 500 on /broken. */
const remote = new ScriptedServer((request) => {
  if (request.path === '/broken') return { status: 500, body: { error: 'database down' } };
  const input = request.json as { text?: string };
  return {
    body: {
      reply: String(input?.text ?? '').toUpperCase(),
      task: request.headers['x-baton-task-id'],
    },
  };
});

/** An A2A agent: card only at the older agent.json path, tasks that are "working" at first. */
const a2a: ScriptedServer = new ScriptedServer((request): ScriptedResponse => {
  if (request.path === '/.well-known/agent-card.json') return { status: 404, body: {} };
  if (request.path === '/.well-known/agent.json') {
    return {
      body: {
        name: 'Summarizer',
        description: 'Summarises text',
        url: `${a2a.url}/a2a`,
        version: '1.0.0',
        protocolVersion: '0.3.0',
        preferredTransport: 'JSONRPC',
        capabilities: { streaming: false },
        defaultInputModes: ['application/json'],
        defaultOutputModes: ['application/json'],
        skills: [{ id: 'summarize', name: 'Summarize', description: 'Summarises', tags: [] }],
      },
    };
  }
  const rpc = request.json as { id: string; method: string; params: Record<string, unknown> };
  if (rpc.method === 'message/send') {
    return {
      body: {
        jsonrpc: '2.0',
        id: rpc.id,
        result: { kind: 'task', id: 'a2a-task-1', contextId: 'c1', status: { state: 'working' } },
      },
    };
  }
  if (rpc.method === 'tasks/get') {
    const send = a2a.received.find(
      (r) => (r.json as { method?: string })?.method === 'message/send',
    );
    const parts = (
      send?.json as { params: { message: { parts: { kind: string; data?: { text: string } }[] } } }
    ).params.message.parts;
    const text = parts.find((p) => p.kind === 'data')?.data?.text ?? '';
    return {
      body: {
        jsonrpc: '2.0',
        id: rpc.id,
        result: {
          kind: 'task',
          id: 'a2a-task-1',
          contextId: 'c1',
          status: { state: 'completed' },
          artifacts: [
            {
              artifactId: 'a1',
              parts: [
                {
                  kind: 'data',
                  data: { summary: text.slice(0, 12), words: text.split(' ').length },
                },
              ],
            },
          ],
        },
      },
    };
  }
  return {
    body: { jsonrpc: '2.0', id: rpc.id, error: { code: -32601, message: 'Method not found' } },
  };
});

/** An OpenAI-compatible endpoint: one tool call when tools are offered, then a JSON answer. */
const model = new ScriptedServer((request: ScriptedRequest) => {
  if (request.headers.authorization !== `Bearer ${LLM_KEY}`)
    return { status: 401, body: { error: 'bad key' } };
  const body = request.json as {
    model: string;
    messages: { role: string; content: string | null }[];
    tools?: { function: { name: string } }[];
  };
  const reply = (content: string, extra: Record<string, unknown> = {}) => ({
    body: {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      model: body.model,
      choices: [
        { index: 0, finish_reason: 'stop', message: { role: 'assistant', content, ...extra } },
      ],
    },
  });
  if (body.model === 'garbage-model') return reply('I think this is about billing, probably.');
  if (body.model === 'html-model') return { raw: '<html>502 Bad Gateway</html>' };
  const toolResult = body.messages.find((m) => m.role === 'tool');
  if (body.tools?.length && !toolResult) {
    return reply('', {
      content: null,
      tool_calls: [
        {
          id: 'call-1',
          type: 'function',
          function: {
            name: body.tools[0].function.name,
            arguments: JSON.stringify({ text: 'order 42' }),
          },
        },
      ],
    });
  }
  const user = body.messages.find((m) => m.role === 'user')?.content ?? '';
  const tool = toolResult
    ? (JSON.parse(toolResult.content ?? '{}') as { output?: unknown }).output
    : null;
  return reply(JSON.stringify({ category: /invoice/i.test(user) ? 'billing' : 'general', tool }));
});

describe('agents agent-manager runs itself: http, A2A and llm', () => {
  let orchestrate: OrchestratePlatform;
  const httpAgent = uniqueName('shouter');

  beforeAll(async () => {
    orchestrate = sdk();
    await Promise.all([remote.start(), a2a.start(), model.start()]);
    const stored = await api('PUT', `/v1/secrets/${LLM_KEY_SECRET}`, { body: { value: LLM_KEY } });
    expect([200, 201]).toContain(stored.status);
    await orchestrate.registerAgent({
      name: httpAgent,
      type: 'tool',
      runtime: 'http',
      description: 'Shouts the text back',
      config: { url: `${remote.url}/shout`, headers: { 'x-team': 'e2e' } },
      input_schema: { type: 'object', properties: { text: { type: 'string' } } },
    });
  });

  afterAll(async () => {
    await Promise.all([remote.stop(), a2a.stop(), model.stop()]);
  });

  it('invokes an http agent: the input is POSTed, the JSON answer is the output', async () => {
    const result = await orchestrate.invokeAgent({
      agent_id: httpAgent,
      input: { text: 'hello' },
      timeout: 10_000,
    });
    expect(result.output).toEqual({ reply: 'HELLO', task: result.task_id });
    const request = remote.received.find((r) => r.headers['x-baton-task-id'] === result.task_id);
    expect(request).toMatchObject({ method: 'POST', path: '/shout', json: { text: 'hello' } });
    expect(request?.headers['x-team']).toBe('e2e');
  });

  it('runs an http agent as a workflow step (agent-manager serves its task topic)', async () => {
    const workflow = uniqueName('shout-flow');
    await orchestrate.createWorkflow({
      name: workflow,
      steps: [{ name: 'shout', agent: httpAgent, input: '${input}' }],
    });
    const run = await orchestrate.waitForRun(
      (await orchestrate.startRun(workflow, { text: 'from a run' })).id,
    );
    expect(run.status).toBe('completed');
    expect(run.steps[0].output).toMatchObject({ reply: 'FROM A RUN' });
  });

  it('fails the task with the remote error when the http agent answers 500', async () => {
    const broken = uniqueName('broken');
    await orchestrate.registerAgent({
      name: broken,
      type: 'tool',
      runtime: 'http',
      config: { url: `${remote.url}/broken` },
    });
    const response = await api<Problem>('POST', `/v1/agents/${broken}/invoke`, {
      body: { input: {}, timeout: 10_000 },
    });
    expect(response.status).toBe(502);
    expect(response.body.detail).toMatch(/system_error.*HTTP 500.*database down/);
  });

  it('bridges to an A2A agent: card discovery, message/send, then tasks/get until completed', async () => {
    const name = uniqueName('summarizer');
    await orchestrate.registerAgent({
      name,
      type: 'tool',
      runtime: 'http',
      config: { protocol: 'a2a', url: a2a.url },
    });
    const result = await orchestrate.invokeAgent({
      agent_id: name,
      input: { text: 'A long text about invoices and refunds' },
      timeout: 10_000,
    });
    expect(result.output).toEqual({ summary: 'A long text ', words: 7 });
    const paths = a2a.received.map((r) => `${r.method} ${r.path}`);
    expect(paths.slice(0, 2)).toEqual([
      'GET /.well-known/agent-card.json',
      'GET /.well-known/agent.json',
    ]);
    const methods = a2a.received
      .map((r) => (r.json as { method?: string } | undefined)?.method)
      .filter(Boolean);
    expect(methods).toEqual(['message/send', 'tasks/get']);
    const send = a2a.received.find(
      (r) => (r.json as { method?: string })?.method === 'message/send',
    );
    expect(send?.json).toMatchObject({
      jsonrpc: '2.0',
      params: {
        message: {
          role: 'user',
          parts: [{ kind: 'text' }, { kind: 'data', data: { text: expect.any(String) } }],
        },
      },
    });
  });

  it('runs an llm agent against an OpenAI-compatible endpoint, with a tool call to another agent', async () => {
    const name = uniqueName('llm-classifier');
    await orchestrate.registerAgent({
      name,
      type: 'llm',
      config: {
        base_url: `${model.url}/v1`,
        model: 'tiny-model',
        api_key_secret: LLM_KEY_SECRET,
        system_prompt: 'Classify the inquiry.',
        tools: [httpAgent],
      },
      output_schema: { type: 'object', required: ['category'] },
    });
    const result = await orchestrate.invokeAgent({
      agent_id: name,
      input: { text: 'Where is my invoice?' },
      timeout: 15_000,
    });
    expect(result.output).toEqual({
      category: 'billing',
      tool: { reply: 'ORDER 42', task: expect.any(String) },
    });
    const calls = model.received.filter((r) => r.path === '/v1/chat/completions');
    expect(calls).toHaveLength(2);
    const first = calls[0].json as {
      messages: { role: string; content: string }[];
      tools: unknown[];
      response_format: unknown;
    };
    expect(first.messages[0]).toMatchObject({
      role: 'system',
      content: expect.stringContaining('Classify the inquiry.'),
    });
    expect(first.messages[0].content).toContain('"required":["category"]');
    expect(first.messages[1]).toEqual({ role: 'user', content: '{"text":"Where is my invoice?"}' });
    expect(first.tools).toEqual([
      expect.objectContaining({
        type: 'function',
        function: expect.objectContaining({ name: httpAgent, description: 'Shouts the text back' }),
      }),
    ]);
    expect(first.response_format).toEqual({ type: 'json_object' });
    // The key is fetched from the workspace's vault at call time and never shown.
    const versions = await api('GET', `/v1/agents/${name}/versions`);
    expect(JSON.stringify(versions.body)).not.toContain(LLM_KEY);
    expect(JSON.stringify(versions.body)).toContain(LLM_KEY_SECRET);
  });

  it('fails an llm task with a clear reason when the model answers garbage', async () => {
    for (const [modelName, reason] of [
      ['garbage-model', /guardrail.*not JSON.*I think/],
      ['html-model', /system_error.*not JSON.*html/],
    ] as const) {
      const name = uniqueName(modelName);
      await orchestrate.registerAgent({
        name,
        type: 'llm',
        config: {
          base_url: `${model.url}/v1`,
          model: modelName,
          api_key_secret: LLM_KEY_SECRET,
        },
      });
      const response = await api<Problem>('POST', `/v1/agents/${name}/invoke`, {
        body: { input: 'hi', timeout: 10_000 },
      });
      expect(response.status).toBe(502);
      expect(response.body.detail).toMatch(reason);
    }
  });

  it('refuses an llm or http config that names no usable endpoint or secret, naming the fields', async () => {
    const response = await api<Problem>('POST', '/v1/agents', {
      body: {
        name: uniqueName('bad-llm'),
        type: 'llm',
        config: {
          base_url: 'file:///etc/passwd',
          api_key_secret: '../DATABASE_URL',
          api_key: 'sk-plain',
        },
      },
    });
    expect(response.status).toBe(422);
    expect(response.body.errors?.map((e) => e.field).sort()).toEqual(
      ['config.api_key', 'config.api_key_secret', 'config.base_url', 'config.model'].sort(),
    );
  });
});
