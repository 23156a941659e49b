import type { LlmCallView, Page } from '@baton/contracts';
import { AgentWorker, type OrchestratePlatform } from '@baton/sdk';
import { api, eventually, platformState, sdk } from './support/platform';
import { ScriptedServer, uniqueName, type ScriptedRequest } from './support/scripted-server';
import { killService, restartService } from './support/service-control';
import { issueKey, workspaceWithKeys, clearDefaultLlmBudget } from './support/workspaces';

const LLM_KEY = 'sk-e2e-recorded-key';
const LLM_KEY_SECRET = 'e2e-recorded-llm-key';
/** Priced in global-setup (LLM_PRICES): 1 per 1k prompt tokens, 2 per 1k completion tokens. */
const MODEL = 'recorded-model';

type ChatRequest = {
  model: string;
  messages: { role: string; content: string | null }[];
  tools?: { function: { name: string } }[];
};

/** An OpenAI-compatible endpoint that counts its calls: a tool call when tools are offered, then JSON. */
const model = new ScriptedServer((request: ScriptedRequest) => {
  const body = request.json as ChatRequest;
  const reply = (message: Record<string, unknown>) => ({
    body: {
      id: 'chatcmpl-recorded',
      object: 'chat.completion',
      model: body.model,
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', ...message } }],
      usage: { prompt_tokens: 20, completion_tokens: 7, total_tokens: 27 },
    },
  });
  const toolResult = body.messages.find((m) => m.role === 'tool');
  if (body.tools?.length && !toolResult) {
    return reply({
      content: null,
      tool_calls: [
        {
          id: 'call-stock',
          type: 'function',
          function: { name: body.tools[0].function.name, arguments: '{"sku":"A-1"}' },
        },
      ],
    });
  }
  const tool = toolResult ? (JSON.parse(toolResult.content ?? '{}') as { output?: unknown }) : {};
  return reply({ content: JSON.stringify({ summary: 'ok', stock: tool.output ?? null }) });
});

/** The model requests one agent made: first requests (no tool answer yet) and follow-ups. */
function requestsOf(agentPrompt: string): { first: number; followUps: number } {
  const mine = model.received
    .map((r) => r.json as ChatRequest)
    .filter((b) => b.messages[0]?.content?.includes(agentPrompt));
  const followUps = mine.filter((b) => b.messages.some((m) => m.role === 'tool')).length;
  return { first: mine.length - followUps, followUps };
}

/** Record once, replay free: an llm agent's model calls are recorded and never paid twice. */
describe('recorded model calls', () => {
  let orchestrate: OrchestratePlatform;
  const workers: AgentWorker[] = [];

  beforeAll(async () => {
    await clearDefaultLlmBudget();
    await model.start();
    orchestrate = sdk();
    const stored = await api('PUT', `/v1/secrets/${LLM_KEY_SECRET}`, { body: { value: LLM_KEY } });
    expect([200, 201]).toContain(stored.status);
  });

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await model.stop();
  });

  function worker(agent: string, handler: (input: unknown) => unknown): AgentWorker {
    const started = new AgentWorker({
      agent,
      brokers: platformState().kafkaBrokers.split(','),
      handler: async (input) => handler(input),
    });
    workers.push(started);
    return started;
  }

  it('lists a run’s model calls with tokens and cost, and a retried later step does not call the model again', async () => {
    const summariser = uniqueName('summariser');
    const flaky = uniqueName('flaky-check');
    await orchestrate.registerAgent({
      name: summariser,
      type: 'llm',
      config: {
        base_url: `${model.url}/v1`,
        model: MODEL,
        api_key_secret: LLM_KEY_SECRET,
        system_prompt: `Summarise (${summariser}).`,
      },
    });
    await orchestrate.registerAgent({ name: flaky, type: 'worker' });
    let checks = 0;
    await worker(flaky, () => {
      checks += 1;
      if (checks === 1) throw new Error('the check system is warming up');
      return { checked: true };
    }).start();
    const workflow = uniqueName('summarise-then-check');
    await orchestrate.createWorkflow({
      name: workflow,
      retry_policy: { max_attempts: 3, backoff: 'fixed', initial_delay: 100 },
      steps: [
        { name: 'summarise', agent: summariser, input: '${input}' },
        { name: 'check', agent: flaky, input: '${summarise.output}' },
      ],
    });

    const run = await orchestrate.waitForRun(
      (await orchestrate.startRun(workflow, { text: 'Charged twice' })).id,
    );
    expect(run.status).toBe('completed');
    expect(run.steps.find((s) => s.name === 'check')?.attempts).toBe(2);
    expect(requestsOf(`Summarise (${summariser}).`)).toEqual({ first: 1, followUps: 0 });

    const calls = await api<Page<LlmCallView>>('GET', `/v1/runs/${run.id}/llm-calls`);
    expect(calls.status).toBe(200);
    expect(calls.body.items).toHaveLength(1);
    expect(calls.body.items[0]).toMatchObject({
      step: 'summarise',
      attempt: 1,
      agent: summariser,
      round: 0,
      model: MODEL,
      prompt_tokens: 20,
      completion_tokens: 7,
      cost: 0.034,
      discarded: false,
    });
    expect(JSON.stringify(calls.body)).not.toContain(LLM_KEY);
  });

  it('reuses the recorded answer when agent-manager dies mid-task and the step is retried', async () => {
    const checker = uniqueName('stock-checker');
    const slowTool = uniqueName('slow-stock');
    await orchestrate.registerAgent({
      name: slowTool,
      type: 'worker',
      description: 'Stock of a SKU',
      input_schema: { type: 'object', properties: { sku: { type: 'string' } } },
    });
    let toolCalls = 0;
    let firstToolCall: () => void = () => undefined;
    const toolCalled = new Promise<void>((resolve) => (firstToolCall = resolve));
    const toolWorker = worker(slowTool, async () => {
      toolCalls += 1;
      if (toolCalls === 1) {
        firstToolCall();
        // Slow enough for agent-manager to die while it waits for this answer (the worker
        // serves one task at a time, so it must not hold the retry's tool call for long).
        await new Promise((resolve) => setTimeout(resolve, 4_000));
      }
      return { in_stock: 3 };
    });
    await toolWorker.start();
    // On a loaded machine the worker's group join can take tens of seconds: the kill must
    // come while the tool call is in flight, not while the task waits for a worker.
    await eventually(
      async () => (toolWorker.isJoined ? true : undefined),
      120_000,
      'the tool worker joined',
    );
    await orchestrate.registerAgent({
      name: checker,
      type: 'llm',
      config: {
        base_url: `${model.url}/v1`,
        model: MODEL,
        api_key_secret: LLM_KEY_SECRET,
        system_prompt: `Check stock (${checker}).`,
        tools: [slowTool],
      },
    });
    const workflow = uniqueName('check-stock');
    await orchestrate.createWorkflow({
      name: workflow,
      // Attempts time out while agent-manager is down (its restart takes seconds to a minute on
      // a loaded machine); whichever attempt runs after it must not ask the first question again.
      retry_policy: { max_attempts: 20, backoff: 'fixed', initial_delay: 100 },
      steps: [{ name: 'check-stock', agent: checker, input: '${input}', timeout: '15s' }],
    });

    const started = await orchestrate.startRun(workflow, { sku: 'A-1' });
    await toolCalled; // the first model answer is recorded; the tool call is in flight
    await killService('agent-manager');
    await restartService('agent-manager');

    const run = await orchestrate.waitForRun(started.id, 300_000);
    expect(run).toMatchObject({ status: 'completed' });
    expect(run.steps[0].attempts).toBeGreaterThanOrEqual(2);
    expect(run.steps[0].output).toEqual({ summary: 'ok', stock: { in_stock: 3 } });
    // Without the record the retry would have asked the first question again.
    const requests = requestsOf(`Check stock (${checker}).`);
    expect(requests.first).toBe(1);
    expect(requests.followUps).toBeGreaterThanOrEqual(1);

    const calls = await api<Page<LlmCallView>>('GET', `/v1/runs/${run.id}/llm-calls`);
    const firstRound = calls.body.items.filter((c) => c.round === 0);
    expect(firstRound).toHaveLength(1);
    expect(firstRound[0].attempt).toBe(1);
    expect(calls.body.items.some((c) => c.round === 1 && c.attempt >= 2)).toBe(true);
  }, 420_000);

  it('answers 422 naming the field for a run id that is not one', async () => {
    const response = await api<{ errors: { field: string }[] }>(
      'GET',
      '/v1/runs/not-a-run/llm-calls',
    );
    expect(response.status).toBe(422);
    expect(response.body.errors[0].field).toBe('run_id');
  });

  it("fails a step with budget_exceeded once the agent's run budget is spent, and error_handlers route it", async () => {
    const tool = uniqueName('budget-tool');
    const thrifty = uniqueName('thrifty');
    const fallback = uniqueName('fallback');
    await orchestrate.registerAgent({ name: tool, type: 'worker', description: 'Stock' });
    await orchestrate.registerAgent({ name: fallback, type: 'worker' });
    await worker(tool, () => ({ in_stock: 1 })).start();
    await worker(fallback, () => ({ answered_without_the_model: true })).start();
    await orchestrate.registerAgent({
      name: thrifty,
      type: 'llm',
      config: {
        base_url: `${model.url}/v1`,
        model: MODEL,
        api_key_secret: LLM_KEY_SECRET,
        system_prompt: `Thrifty (${thrifty}).`,
        tools: [tool],
        // The first round spends 27 tokens; the second is refused.
        budget: { tokens_per_run: 20 },
      },
    });
    const workflow = uniqueName('thrifty-flow');
    await orchestrate.createWorkflow({
      name: workflow,
      error_handlers: { budget_exceeded: 'cheap-answer' },
      steps: [
        { name: 'ask', agent: thrifty, input: '${input}' },
        { name: 'cheap-answer', agent: fallback, input: '${input}' },
      ],
    });
    const run = await orchestrate.waitForRun(
      (await orchestrate.startRun(workflow, { sku: 'B-2' })).id,
    );
    expect(run.steps.find((s) => s.name === 'ask')).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: { type: 'budget_exceeded', message: expect.stringMatching(/tokens_per_run is 20/) },
    });
    expect(run).toMatchObject({ status: 'completed' });
    expect(run.steps.find((s) => s.name === 'cheap-answer')?.output).toEqual({
      answered_without_the_model: true,
    });
    expect(requestsOf(`Thrifty (${thrifty}).`)).toEqual({ first: 1, followUps: 0 });
  });

  it("holds a workspace's llm agents to its daily budget (PUT /v1/llm-budget), isolated from other workspaces", async () => {
    const { id: workspace, keys } = await workspaceWithKeys('llm-budget', 1);
    const key = keys[0];
    const agent = uniqueName('budgeted');
    const registered = await api('POST', '/v1/agents', {
      apiKey: key,
      body: {
        name: agent,
        type: 'llm',
        config: {
          base_url: `${model.url}/v1`,
          model: MODEL,
          system_prompt: `Budgeted (${agent}).`,
        },
      },
    });
    expect(registered.status).toBe(201);
    const set = await api<{ limits: unknown }>('PUT', '/v1/llm-budget', {
      apiKey: key,
      body: { tokens_per_day: 20 },
    });
    expect(set.status).toBe(200);
    expect(set.body.limits).toEqual({ tokens_per_day: 20 });

    const invoke = () =>
      api<{ status?: string; detail?: string }>('POST', `/v1/agents/${agent}/invoke`, {
        apiKey: key,
        body: { input: { text: 'hello' }, timeout: 15_000 },
      });
    expect((await invoke()).status).toBe(200);
    const refused = await invoke();
    expect(refused.status).toBe(502);
    expect(refused.body.detail).toMatch(
      /budget_exceeded.*workspace '.*' has spent 27 tokens this day/,
    );
    expect(requestsOf(`Budgeted (${agent}).`)).toEqual({ first: 1, followUps: 0 });

    // An agent that keeps no record of its calls could spend past the budget unseen: refused.
    const unrecorded = uniqueName('unrecorded');
    const registeredUnrecorded = await api('POST', '/v1/agents', {
      apiKey: key,
      body: {
        name: unrecorded,
        type: 'llm',
        config: { base_url: `${model.url}/v1`, model: MODEL, record: false },
      },
    });
    expect(registeredUnrecorded.status).toBe(201);
    const unrecordedCall = await api<{ detail?: string }>(
      'POST',
      `/v1/agents/${unrecorded}/invoke`,
      { apiKey: key, body: { input: { text: 'hello' }, timeout: 15_000 } },
    );
    expect(unrecordedCall.status).toBe(502);
    expect(unrecordedCall.body.detail).toMatch(/budget_exceeded.*does not record its calls/);
    const budgetWithoutRecord = await api<{ errors: { field: string }[] }>('POST', '/v1/agents', {
      apiKey: key,
      body: {
        name: uniqueName('unrecorded-budget'),
        type: 'llm',
        config: {
          base_url: `${model.url}/v1`,
          model: MODEL,
          record: false,
          budget: { tokens_per_run: 10 },
        },
      },
    });
    expect(budgetWithoutRecord.status).toBe(422);
    expect(budgetWithoutRecord.body.errors[0].field).toBe('config.record');

    const budget = await api<{ spent: { day: { tokens: number } } }>('GET', '/v1/llm-budget', {
      apiKey: key,
    });
    expect(budget.body.spent.day.tokens).toBe(27);
    // The default workspace's budget is its own.
    const mine = await api<{ limits: unknown }>('GET', '/v1/llm-budget');
    expect(mine.body.limits).toEqual({});

    const negative = await api<{ errors: { field: string }[] }>('PUT', '/v1/llm-budget', {
      apiKey: key,
      body: { cost_per_month: -1 },
    });
    expect(negative.status).toBe(422);
    expect(negative.body.errors[0].field).toBe('cost_per_month');
    const viewer = await issueKey(workspace, 'viewer');
    const forbidden = await api('PUT', '/v1/llm-budget', { apiKey: viewer, body: {} });
    expect(forbidden.status).toBe(403);
  });
});
