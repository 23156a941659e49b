import type { LlmCallView, Page, RunView } from '@baton/contracts';
import { type OrchestratePlatform } from '@baton/sdk';
import { api, sdk } from './support/platform';
import { ScriptedServer, uniqueName, type ScriptedRequest } from './support/scripted-server';
import { clearDefaultLlmBudget } from './support/workspaces';

const LLM_KEY_SECRET = 'e2e-guardrail-llm-key';
const MODEL = 'recorded-model';

type ChatRequest = { model: string; messages: { role: string; content: string | null }[] };

/**
 * An OpenAI-compatible endpoint that misbehaves on cue: an agent whose prompt
 * says [off-schema] gets an answer outside its output schema, one whose prompt
 * says [rogue-tool] gets a call to a tool nobody gave it; others a good answer.
 */
const model = new ScriptedServer((request: ScriptedRequest) => {
  const body = request.json as ChatRequest;
  const prompt = body.messages[0]?.content ?? '';
  const message = prompt.includes('[rogue-tool]')
    ? {
        content: null,
        tool_calls: [
          {
            id: 'call-rogue',
            type: 'function',
            function: { name: 'drop_tables', arguments: '{"all":true}' },
          },
        ],
      }
    : {
        content: JSON.stringify(
          prompt.includes('[off-schema]') ? { mood: 'fine' } : { category: 'safe' },
        ),
      };
  return {
    body: {
      id: 'chatcmpl-guardrail',
      object: 'chat.completion',
      model: body.model,
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', ...message } }],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    },
  };
});

function requestsOf(marker: string): number {
  return model.received.filter((r) =>
    (r.json as ChatRequest).messages[0]?.content?.includes(marker),
  ).length;
}

/** Guardrail failures are their own error type: not retried by default, routed by error_handlers. */
describe('llm guardrail failures', () => {
  let orchestrate: OrchestratePlatform;

  beforeAll(async () => {
    await clearDefaultLlmBudget();
    await model.start();
    orchestrate = sdk();
    const stored = await api('PUT', `/v1/secrets/${LLM_KEY_SECRET}`, {
      body: { value: 'sk-e2e-guardrail' },
    });
    expect([200, 201]).toContain(stored.status);
  });

  afterAll(() => model.stop());

  async function llmAgent(base: string, promptTag: string): Promise<string> {
    const name = uniqueName(base);
    await orchestrate.registerAgent({
      name,
      type: 'llm',
      output_schema: {
        type: 'object',
        required: ['category'],
        properties: { category: { type: 'string' } },
      },
      config: {
        base_url: `${model.url}/v1`,
        model: MODEL,
        api_key_secret: LLM_KEY_SECRET,
        system_prompt: `${promptTag} You are ${name}.`,
      },
    });
    return name;
  }

  async function guardedRun(agent: string): Promise<RunView> {
    const fallback = await llmAgent('guardrail-fallback', '[safe]');
    const workflow = uniqueName('guarded');
    await orchestrate.createWorkflow({
      name: workflow,
      // Retried three times for anything else: a guardrail failure is not retried by default.
      retry_policy: { max_attempts: 3, backoff: 'fixed', initial_delay: 100 },
      error_handlers: { guardrail: 'safe-answer' },
      steps: [
        { name: 'ask', agent, input: '${input}' },
        { name: 'safe-answer', agent: fallback, input: '${input}' },
      ],
    });
    // Two llm steps and a routed failure: generous on a loaded machine.
    return orchestrate.waitForRun(
      (await orchestrate.startRun(workflow, { text: 'hi' })).id,
      150_000,
    );
  }

  it('fails the step with guardrail when the answer does not match the output schema, and routes it', async () => {
    const agent = await llmAgent('off-schema', '[off-schema]');
    const run = await guardedRun(agent);
    expect(run.steps.find((s) => s.name === 'ask')).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: { type: 'guardrail', message: expect.stringMatching(/category/) },
    });
    expect(run.status).toBe('completed');
    expect(run.steps.find((s) => s.name === 'safe-answer')?.output).toEqual({ category: 'safe' });
    expect(requestsOf(`You are ${agent}.`)).toBe(1);
    // The refused answer is kept for the record but never reused.
    const calls = await api<Page<LlmCallView>>('GET', `/v1/runs/${run.id}/llm-calls`);
    expect(calls.body.items.find((c) => c.step === 'ask')).toMatchObject({ discarded: true });
  }, 200_000);

  it('fails the step with guardrail when the model calls a tool it was not given', async () => {
    const agent = await llmAgent('rogue-tool', '[rogue-tool]');
    const run = await guardedRun(agent);
    expect(run.steps.find((s) => s.name === 'ask')).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: {
        type: 'guardrail',
        message: expect.stringMatching(/'drop_tables', a tool it was not given/),
      },
    });
    expect(run.status).toBe('completed');
    expect(requestsOf(`You are ${agent}.`)).toBe(1);
  }, 200_000);
});
