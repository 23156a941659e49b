import type { AgentManagerEnv } from '../../agent-manager.env';
import type { Logger } from 'pino';
import type { LlmCallsRepository, RecordedCall } from './llm-calls.repository';
import type { CallScope } from './recorded-calls';
import { ModelCalls } from './model-calls';
import { callCost, parseModelPrices } from './model-prices';

const scope: CallScope = {
  workspaceId: 'ws',
  taskId: '00000000-0000-4000-8000-000000000001',
  runId: '00000000-0000-4000-8000-000000000002',
  step: 'summarise',
  attempt: 1,
  agent: 'summariser',
  agentVersion: 1,
};

/** The repository's contract in memory: answers are reused by (run, step, round, request). */
function memoryRepository(): LlmCallsRepository & { recorded: RecordedCall[] } {
  const recorded: (RecordedCall & { discarded?: boolean })[] = [];
  return {
    recorded,
    reusable: (s: CallScope, round: number, hash: string) =>
      Promise.resolve(
        recorded.find(
          (c) =>
            !c.discarded &&
            c.scope.runId === s.runId &&
            c.scope.step === s.step &&
            c.round === round &&
            c.requestHash === hash,
        )?.response ?? null,
      ),
    record: (call: RecordedCall) => Promise.resolve(void recorded.push(call)),
    discardAttempt: (taskId: string, attempt: number) => {
      for (const c of recorded)
        if (c.scope.taskId === taskId && c.scope.attempt === attempt) c.discarded = true;
      return Promise.resolve();
    },
  } as unknown as LlmCallsRepository & { recorded: RecordedCall[] };
}

function modelCalls(repository: LlmCallsRepository): ModelCalls {
  const env = {
    LLM_PRICES: '{"m":{"prompt_per_1k":1,"completion_per_1k":2}}',
  } as unknown as AgentManagerEnv;
  return new ModelCalls(repository, env, { info: () => undefined } as unknown as Logger);
}

describe('ModelCalls', () => {
  const answer = { choices: [], usage: { prompt_tokens: 100, completion_tokens: 50 } };

  it('records a call once, with tokens and cost, and reuses it for the same request', async () => {
    const repository = memoryRepository();
    const calls = modelCalls(repository);
    const model = jest.fn().mockResolvedValue(answer);
    const request = { model: 'm', messages: [{ role: 'user', content: 'hi' }] };
    expect(await calls.complete(scope, 0, request, true, model)).toBe(answer);
    // Key order does not make it another request.
    const again = { messages: [{ content: 'hi', role: 'user' }], model: 'm' };
    expect(await calls.complete({ ...scope, attempt: 2 }, 0, again, true, model)).toEqual(answer);
    expect(model).toHaveBeenCalledTimes(1);
    expect(repository.recorded[0]).toMatchObject({
      promptTokens: 100,
      completionTokens: 50,
      cost: 0.2,
      model: 'm',
    });
  });

  it('asks again for another request, another round, or after the answer was discarded', async () => {
    const repository = memoryRepository();
    const calls = modelCalls(repository);
    const model = jest.fn().mockResolvedValue(answer);
    await calls.complete(scope, 0, { model: 'm', messages: ['a'] }, true, model);
    await calls.complete(scope, 0, { model: 'm', messages: ['b'] }, true, model);
    await calls.complete(scope, 1, { model: 'm', messages: ['a'] }, true, model);
    await calls.discard(scope);
    await calls.complete({ ...scope, attempt: 2 }, 0, { model: 'm', messages: ['a'] }, true, model);
    expect(model).toHaveBeenCalledTimes(4);
  });

  it('neither looks up nor records the calls of an agent that does not record', async () => {
    const repository = memoryRepository();
    const calls = modelCalls(repository);
    const model = jest.fn().mockResolvedValue(answer);
    const request = { model: 'm', messages: ['a'] };
    expect(await calls.complete(scope, 0, request, false, model)).toBe(answer);
    expect(await calls.complete(scope, 0, request, false, model)).toBe(answer);
    expect(model).toHaveBeenCalledTimes(2);
    expect(repository.recorded).toEqual([]);
  });
});

describe('model prices', () => {
  it('reads LLM_PRICES and prices a call; no price or no usage is null', () => {
    const prices = parseModelPrices('{"gpt":{"prompt_per_1k":0.5,"completion_per_1k":1.5}}');
    expect(callCost(prices, 'gpt', 1000, 2000)).toBe(3.5);
    expect(callCost(prices, 'other', 1000, 2000)).toBeNull();
    expect(callCost(prices, 'gpt', null, 2000)).toBeNull();
    expect(parseModelPrices(undefined)).toEqual({});
  });

  it('refuses a price that is not two numbers, naming the model', () => {
    expect(() => parseModelPrices('{"gpt":{"prompt_per_1k":"cheap"}}')).toThrow(/LLM_PRICES.gpt/);
    expect(() => parseModelPrices('[1]')).toThrow(/JSON object/);
  });
});
