import {
  compileRules,
  evaluateRules,
  NoRuleMatched,
  textOf,
  type RulesProgram,
} from './rules.evaluator';

function program(config: Record<string, unknown>): RulesProgram {
  const compiled = compileRules(config);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.errors));
  return compiled.program;
}

const classifier = program({
  rules: [
    {
      when: { keywords: ['invoice', 'refund', 'charged twice'] },
      output: { category: 'billing', context: { text: '${input.text}', customer: '${customer}' } },
    },
    { when: { regex: '\\b(error|crash)\\b' }, output: { category: 'technical' } },
  ],
  default: { category: 'general' },
});

describe('rules: keywords', () => {
  it('matches whole words in any case, and phrases across spaces', async () => {
    await expect(evaluateRules(classifier, { text: 'Where is my INVOICE?' })).resolves.toEqual({
      matched: 0,
      output: { category: 'billing', context: { text: 'Where is my INVOICE?' } },
    });
    const phrase = await evaluateRules(classifier, {
      text: 'I was charged   twice',
      customer: 'Ada',
    });
    expect(phrase.output).toEqual({
      category: 'billing',
      context: { text: 'I was charged   twice', customer: 'Ada' },
    });
  });

  it('does not match inside longer words', async () => {
    await expect(evaluateRules(classifier, { text: 'invoices2go refunds' })).resolves.toMatchObject(
      {
        matched: 'default',
      },
    );
  });

  it('reads a named field when given one', async () => {
    const byField = program({
      field: 'ticket.subject',
      rules: [{ when: { keywords: ['urgent'] }, output: 'p1' }],
      default: 'p3',
    });
    await expect(evaluateRules(byField, { ticket: { subject: 'URGENT: down' } })).resolves.toEqual({
      matched: 0,
      output: 'p1',
    });
    await expect(evaluateRules(byField, { text: 'urgent' })).resolves.toMatchObject({
      output: 'p3',
    });
  });
});

describe('rules: regex and order', () => {
  it('uses the first matching rule, in order', async () => {
    const result = await evaluateRules(classifier, { text: 'refund after the crash' });
    expect(result.matched).toBe(0);
    expect((await evaluateRules(classifier, { text: 'an ERROR on login' })).output).toEqual({
      category: 'technical',
    });
  });

  it('reads a plain string input as the text', async () => {
    expect((await evaluateRules(classifier, 'app crash')).output).toEqual({
      category: 'technical',
    });
  });
});

describe('rules: expressions', () => {
  const router = program({
    rules: [
      { when: { expression: "category = 'billing'" }, output: { specialist: 'billing-agent' } },
      { when: { expression: 'input.amount > 100' }, output: { specialist: 'big-spender' } },
    ],
    default: { specialist: 'general', seen: '${input}' },
  });

  it('evaluates JSONata over the input and its fields', async () => {
    expect((await evaluateRules(router, { category: 'billing' })).output).toEqual({
      specialist: 'billing-agent',
    });
    expect((await evaluateRules(router, { amount: 150 })).output).toEqual({
      specialist: 'big-spender',
    });
  });

  it('falls back to the default, which may be a template too', async () => {
    expect(await evaluateRules(router, { category: 'other' })).toEqual({
      matched: 'default',
      output: { specialist: 'general', seen: { category: 'other' } },
    });
  });

  it('fails clearly when nothing matches and there is no default', async () => {
    const strict = program({ rules: [{ when: { keywords: ['x'] }, output: 1 }] });
    await expect(evaluateRules(strict, { text: 'y' })).rejects.toBeInstanceOf(NoRuleMatched);
  });
});

describe('rules: config problems are named by field', () => {
  it('refuses a missing rules list', () => {
    expect(compileRules({})).toEqual({
      ok: false,
      errors: [{ field: 'config.rules', message: expect.any(String) }],
    });
  });

  it('names each broken rule', () => {
    const result = compileRules({
      rules: [
        { when: { keywords: [] }, output: 1 },
        { when: { regex: '(' }, output: 1 },
        { when: { expression: 'a = = b' }, output: 1 },
        { when: { keywords: ['a'], regex: 'b' }, output: 1 },
        { when: { keywords: ['a'] } },
        'nonsense',
      ],
    });
    expect(result.ok).toBe(false);
    const fields = result.ok ? [] : result.errors.map((e) => e.field);
    expect(fields).toEqual([
      'config.rules[0].when.keywords',
      'config.rules[1].when.regex',
      'config.rules[2].when.expression',
      'config.rules[3].when',
      'config.rules[4].output',
      'config.rules[5].when',
    ]);
  });

  it('accepts a default alone', () => {
    expect(compileRules({ rules: [], default: { ok: true } }).ok).toBe(true);
  });
});

describe('textOf', () => {
  it('prefers text, message, content, body, else the JSON', () => {
    expect(textOf({ message: 'm', body: 'b' })).toBe('m');
    expect(textOf({ n: 1 })).toBe('{"n":1}');
    expect(textOf(undefined)).toBe('');
    expect(textOf({ a: { b: 2 } }, 'a.b')).toBe('2');
    expect(textOf({ a: null }, 'a.b')).toBe('');
  });
});

describe('rules: regexes run on RE2', () => {
  it('answers a catastrophic pattern on a long text (linear time) instead of stalling', async () => {
    const rules = program({
      rules: [{ when: { regex: '^(a+)+$' }, output: 'hit' }],
      default: 'miss',
    });
    const text = `${'a'.repeat(100_000)}!`;
    await expect(evaluateRules(rules, { text })).resolves.toEqual({
      matched: 'default',
      output: 'miss',
    });
  });

  it('refuses lookaround and backreferences when the agent is created, naming the field', () => {
    const result = compileRules({ rules: [{ when: { regex: '(?<=a)b' }, output: 1 }] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0].field).toBe('config.rules[0].when.regex');
    expect(result.errors[0].message).toMatch(/not a supported regular expression/);
  });
});
