import type { AlertHistoryEntryView, AlertView, Page } from '@baton/contracts';
import { api, eventually } from './support/platform';
import { ScriptedServer, uniqueName } from './support/scripted-server';
import { workspaceWithKeys } from './support/workspaces';

jest.setTimeout(300_000);

/** Priced in global-setup (LLM_PRICES). */
const MODEL = 'recorded-model';

/** An OpenAI-compatible model: every answer costs 15 tokens. */
const model = new ScriptedServer((request) => ({
  body: {
    id: `chatcmpl-budget-${request.path}`,
    object: 'chat.completion',
    model: (request.json as { model: string }).model,
    choices: [
      {
        index: 0,
        finish_reason: 'stop',
        message: { role: 'assistant', content: JSON.stringify({ ok: true }) },
      },
    ],
    usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
  },
}));

/**
 * `budget_used` in alert conditions (issue 27): the share of a day or month
 * llm budget spent, of the workspace (PUT /v1/llm-budget) or of one agent
 * (`config.budget`), read from agent-manager by event-manager's evaluator
 * (every second here).
 */
describe('alerts on llm budget use', () => {
  let key: string;
  const as = <T>(method: string, path: string, body?: unknown) =>
    api<T>(method, path, { apiKey: key, ...(body !== undefined ? { body } : {}) });

  beforeAll(async () => {
    await model.start();
    ({
      keys: [key],
    } = await workspaceWithKeys('budget-alerts'));
  });

  afterAll(() => model.stop());

  async function llmAgent(base: string, budget?: Record<string, number>): Promise<string> {
    const name = uniqueName(base);
    const registered = await as('POST', '/v1/agents', {
      name,
      type: 'llm',
      config: {
        base_url: `${model.url}/v1`,
        model: MODEL,
        system_prompt: `Answer as ${name}.`,
        ...(budget ? { budget } : {}),
      },
    });
    expect(registered.status).toBe(201);
    return name;
  }

  async function invoke(agent: string): Promise<void> {
    const answered = await as('POST', `/v1/agents/${agent}/invoke`, {
      input: { text: 'hello' },
      timeout: 15_000,
    });
    expect(answered.status).toBe(200);
  }

  async function rule(name: string, condition: string, scope?: Record<string, string>) {
    const created = await as('POST', '/v1/alerts', {
      name,
      condition,
      notification_channels: ['admin'],
      severity: 'warning',
      ...(scope ? { scope } : {}),
    });
    expect(created.status).toBe(201);
  }

  /** The rule once an evaluation has read `budget_used` as `ready(value)`. */
  const evaluated = (name: string, ready: (value: number | null | undefined) => boolean) =>
    eventually(
      async () => {
        const got = await as<AlertView>('GET', `/v1/alerts/${name}`);
        return ready(got.body.last_values?.['budget_used[5m]']) ? got.body : undefined;
      },
      60_000,
      `budget_used of ${name}`,
    );

  it("fires when an agent's or the workspace's budget is used past the threshold", async () => {
    const set = await as('PUT', '/v1/llm-budget', { tokens_per_day: 100 });
    expect(set.status).toBe(200);
    const thrifty = await llmAgent('thrifty', { tokens_per_day: 20 });
    const chatty = await llmAgent('chatty');
    await rule('agent-budget', 'budget_used > 0.7', { agent: thrifty });
    await rule('unbudgeted-agent', 'budget_used > 0.7', { agent: chatty });
    await rule('workspace-budget', 'budget_used > 0.8');

    // Nothing spent yet: read as 0 of each budget; an agent with no budget of its own has no value.
    expect((await evaluated('agent-budget', (v) => v === 0)).state).toBe('ok');
    expect((await evaluated('workspace-budget', (v) => v === 0)).state).toBe('ok');
    const unbudgeted = await evaluated('unbudgeted-agent', (v) => v === null);
    expect(unbudgeted.state).toBe('ok');

    // 15 of the agent's 20 tokens: 0.75 of its budget, 0.15 of the workspace's.
    await invoke(thrifty);
    const agentRule = await evaluated('agent-budget', (v) => v === 0.75);
    expect(agentRule.state).toBe('firing');
    expect((await evaluated('workspace-budget', (v) => v === 0.15)).state).toBe('ok');

    // 5 × 15 more by the other agent: 90 of the workspace's 100 tokens.
    for (let i = 0; i < 5; i++) await invoke(chatty);
    const workspaceRule = await evaluated('workspace-budget', (v) => v === 0.9);
    expect(workspaceRule.state).toBe('firing');
    const history = await as<Page<AlertHistoryEntryView>>(
      'GET',
      '/v1/alerts/workspace-budget/history',
    );
    expect(history.body.items).toEqual([expect.objectContaining({ from: 'ok', to: 'firing' })]);
    expect((await as<AlertView>('GET', '/v1/alerts/unbudgeted-agent')).body.state).toBe('ok');
  });

  it('refuses budget_used over a connection or a workflow', async () => {
    const refused = await as<{ errors?: { field: string }[] }>('POST', '/v1/alerts', {
      name: 'budget-of-a-connection',
      condition: 'budget_used > 0.5',
      notification_channels: ['admin'],
      severity: 'warning',
      scope: { connection: 'crm' },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.errors?.[0]?.field).toBe('condition');
  });
});
