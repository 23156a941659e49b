import { LlmRuntime } from './llm.runtime';

/** configErrors reads the config alone: the runtime's collaborators are not used. */
const runtime = new LlmRuntime(...([] as unknown as ConstructorParameters<typeof LlmRuntime>));
const config = { base_url: 'https://models.example.com/v1', model: 'm' };

describe('LlmRuntime config', () => {
  it('takes record as true or false, false only without a budget', () => {
    expect(runtime.configErrors({ ...config, record: false })).toEqual([]);
    expect(
      runtime.configErrors({ ...config, record: true, budget: { tokens_per_run: 10 } }),
    ).toEqual([]);
    expect(runtime.configErrors({ ...config, record: 'no' })).toEqual([
      { field: 'config.record', message: 'must be true or false' },
    ]);
    expect(
      runtime.configErrors({ ...config, record: false, budget: { tokens_per_run: 10 } }),
    ).toEqual([expect.objectContaining({ field: 'config.record' })]);
  });
});
