import { BudgetExceededError } from './budget-exceeded.error';
import { boundedReplacer } from './guarded-functions';

describe('boundedReplacer', () => {
  it('stops at the replacement that takes the sum over the budget, before JSONata asks for more', async () => {
    let calls = 0;
    const replacer = boundedReplacer({ apply: () => (calls++, 'x'.repeat(400)) }, 100, 1_000);
    await replacer.apply(null, []);
    await replacer.apply(null, []);
    await expect(replacer.apply(null, [])).rejects.toBeInstanceOf(BudgetExceededError);
    expect(calls).toBe(3);
  });

  it('passes replacements through unchanged while within the budget', async () => {
    const replacer = boundedReplacer({ apply: async (_, args) => `<${String(args[0])}>` }, 0, 100);
    expect(await replacer.apply(null, ['a'])).toBe('<a>');
  });
});
