import type { LlmCallView, Page, ReplayView, RunView, SubscriptionView } from '@baton/contracts';
import { type OrchestratePlatform } from '@baton/sdk';
import { randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import { api, eventually, kafka, sdk } from './support/platform';
import { ScriptedServer, uniqueName, type ScriptedRequest } from './support/scripted-server';
import { clearDefaultLlmBudget } from './support/workspaces';

const LLM_KEY = 'sk-e2e-replay-key';
const LLM_KEY_SECRET = 'e2e-replay-llm-key';
/** Priced in global-setup (LLM_PRICES). */
const MODEL = 'recorded-model';

type ChatRequest = { model: string; messages: { role: string; content: string | null }[] };

/**
 * An OpenAI-compatible endpoint that counts its calls and says which call
 * answered: an output carrying call number n came from the model's n-th
 * answer, so a replayed run with the same numbers reused the record.
 */
let served = 0;
const model = new ScriptedServer((request: ScriptedRequest) => {
  const body = request.json as ChatRequest;
  served += 1;
  return {
    body: {
      id: `chatcmpl-replay-${served}`,
      object: 'chat.completion',
      model: body.model,
      choices: [
        {
          index: 0,
          finish_reason: 'stop',
          message: { role: 'assistant', content: JSON.stringify({ call: served }) },
        },
      ],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    },
  };
});

/** Requests the model received from one agent (its system prompt names it). */
function requestsOf(agentPrompt: string): number {
  return model.received.filter((r) =>
    (r.json as ChatRequest).messages[0]?.content?.includes(agentPrompt),
  ).length;
}

/** `POST /v1/runs/{id}/replay` and event replays reuse recorded model answers. */
describe('replayed runs reuse recorded model answers', () => {
  let orchestrate: OrchestratePlatform;
  let producer: Producer;

  beforeAll(async () => {
    await clearDefaultLlmBudget();
    await model.start();
    orchestrate = sdk();
    producer = kafka().producer();
    await producer.connect();
    const stored = await api('PUT', `/v1/secrets/${LLM_KEY_SECRET}`, { body: { value: LLM_KEY } });
    expect([200, 201]).toContain(stored.status);
  });

  afterAll(async () => {
    await producer.disconnect();
    await model.stop();
  });

  async function llmAgent(base: string): Promise<{ name: string; prompt: string }> {
    const name = uniqueName(base);
    const prompt = `Answer as ${name}.`;
    await orchestrate.registerAgent({
      name,
      type: 'llm',
      config: {
        base_url: `${model.url}/v1`,
        model: MODEL,
        api_key_secret: LLM_KEY_SECRET,
        system_prompt: prompt,
      },
    });
    return { name, prompt };
  }

  function outputs(run: RunView): Record<string, unknown> {
    return Object.fromEntries(run.steps.map((s) => [s.name, s.output]));
  }

  it('replays a run without calling the model, and asks again only for the steps in refresh', async () => {
    const summariser = await llmAgent('replay-summariser');
    const classifier = await llmAgent('replay-classifier');
    const workflow = uniqueName('summarise-classify');
    await orchestrate.createWorkflow({
      name: workflow,
      steps: [
        { name: 'summarise', agent: summariser.name, input: '${input}' },
        { name: 'classify', agent: classifier.name, input: '${summarise.output}' },
      ],
    });
    const original = await orchestrate.waitForRun(
      (await orchestrate.startRun(workflow, { text: 'Charged twice' })).id,
    );
    expect(original.status).toBe('completed');
    expect(requestsOf(summariser.prompt)).toBe(1);
    expect(requestsOf(classifier.prompt)).toBe(1);

    // Replay from the start: both steps answered from the record, the model is not called.
    const replay = await api<RunView>('POST', `/v1/runs/${original.id}/replay`, { body: {} });
    expect(replay.status).toBe(201);
    expect(replay.body.id).not.toBe(original.id);
    expect(replay.body).toMatchObject({ workflow, workflow_version: original.workflow_version });
    const replayed = await orchestrate.waitForRun(replay.body.id);
    expect(replayed.status).toBe('completed');
    expect(outputs(replayed)).toEqual(outputs(original));
    expect(requestsOf(summariser.prompt)).toBe(1);
    expect(requestsOf(classifier.prompt)).toBe(1);
    // Nothing was paid again: the replay recorded no call of its own.
    const replayCalls = await api<Page<LlmCallView>>('GET', `/v1/runs/${replayed.id}/llm-calls`);
    expect(replayCalls.body.items).toHaveLength(0);

    // refresh: the named step asks the model again; the others still reuse the record.
    const refreshed = await api<RunView>('POST', `/v1/runs/${original.id}/replay`, {
      body: { refresh: ['classify'] },
    });
    expect(refreshed.status).toBe(201);
    const refreshedRun = await orchestrate.waitForRun(refreshed.body.id);
    expect(refreshedRun.status).toBe('completed');
    expect(requestsOf(summariser.prompt)).toBe(1);
    expect(requestsOf(classifier.prompt)).toBe(2);
    expect(outputs(refreshedRun).summarise).toEqual(outputs(original).summarise);
    expect(outputs(refreshedRun).classify).not.toEqual(outputs(original).classify);
    const refreshedCalls = await api<Page<LlmCallView>>(
      'GET',
      `/v1/runs/${refreshedRun.id}/llm-calls`,
    );
    expect(refreshedCalls.body.items.map((c) => c.step)).toEqual(['classify']);
    expect(JSON.stringify(refreshedCalls.body)).not.toContain(LLM_KEY);

    // A replay of that replay finds each answer where it was last recorded, nearest first.
    const again = await api<RunView>('POST', `/v1/runs/${refreshedRun.id}/replay`);
    expect(again.status).toBe(201);
    const againRun = await orchestrate.waitForRun(again.body.id);
    expect(outputs(againRun)).toEqual(outputs(refreshedRun));
    expect(requestsOf(summariser.prompt)).toBe(1);
    expect(requestsOf(classifier.prompt)).toBe(2);
  }, 120_000);

  it('refuses a refresh naming no step, and an unknown run', async () => {
    const agent = await llmAgent('replay-checked');
    const workflow = uniqueName('replay-checked');
    await orchestrate.createWorkflow({
      name: workflow,
      steps: [{ name: 'answer', agent: agent.name, input: '${input}' }],
    });
    const run = await orchestrate.waitForRun((await orchestrate.startRun(workflow, {})).id);

    const bad = await api<{ errors: { field: string }[] }>('POST', `/v1/runs/${run.id}/replay`, {
      body: { refresh: ['answer', 'no-such-step'] },
    });
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors.map((e) => e.field)).toEqual(['refresh[1]']);

    const notList = await api<{ errors: { field: string }[] }>(
      'POST',
      `/v1/runs/${run.id}/replay`,
      { body: { refresh: 'answer' } },
    );
    expect(notList.status).toBe(422);
    expect(notList.body.errors.map((e) => e.field)).toContain('refresh');

    const missing = await api('POST', `/v1/runs/${randomUUID()}/replay`);
    expect(missing.status).toBe(404);
  }, 60_000);

  it('a run restarted by an event replay reuses the answers of the run the event first started', async () => {
    const agent = await llmAgent('replay-intake');
    const workflow = uniqueName('replayed-llm-intake');
    const type = `e2e${randomUUID().slice(0, 8)}.ticket.opened`;
    await orchestrate.createWorkflow({
      name: workflow,
      // The question is the event's data: the replayed event asks the same one.
      steps: [{ name: 'triage', agent: agent.name, input: '${input.data}' }],
    });
    const sub = await api<SubscriptionView>('POST', '/v1/subscriptions', {
      body: { workflow, events: [type] },
    });
    expect(sub.status).toBe(201);
    await producer.send({
      topic: 'baton.events.ingress',
      messages: [
        {
          value: JSON.stringify({
            specversion: '1.0',
            id: randomUUID(),
            type,
            source: 'helpdesk',
            workspaceid: 'default',
            data: { text: 'My parcel never came' },
          }),
        },
      ],
    });
    const runs = async () =>
      (await api<{ items: RunView[] }>('GET', `/v1/runs?workflow=${workflow}`)).body.items;
    const [first] = await eventually(async () => {
      const list = await runs();
      return list.length === 1 && list[0].status === 'completed' ? list : undefined;
    }, 30_000);
    expect(requestsOf(agent.prompt)).toBe(1);

    const created = await api<ReplayView>('POST', '/v1/replays', {
      body: { filter: { types: [type] }, target: { subscription_id: sub.body.id } },
    });
    expect(created.status).toBe(202);
    const both = await eventually(async () => {
      const list = await runs();
      return list.length === 2 && list.every((r) => r.status === 'completed') ? list : undefined;
    }, 30_000);
    const again = both.find((r) => r.id !== first.id)!;
    const [firstRun, againRun] = await Promise.all([
      orchestrate.getRun(first.id),
      orchestrate.getRun(again.id),
    ]);
    expect(outputs(againRun)).toEqual(outputs(firstRun));
    expect(requestsOf(agent.prompt)).toBe(1);
  }, 90_000);
});
