import { checkJsonSchema } from './json-schema.checker';

describe('checkJsonSchema: tenant patterns run on RE2', () => {
  it('accepts an ordinary pattern', () => {
    expect(checkJsonSchema({ type: 'string', pattern: '^[A-Z]{3}-\\d+$' })).toEqual({ ok: true });
  });

  it('refuses lookbehind when the workflow is created, with RE2 reason', () => {
    const verdict = checkJsonSchema({
      type: 'object',
      properties: { code: { type: 'string', pattern: '(?<=x)y' } },
    });
    expect(verdict.ok).toBe(false);
    expect(verdict.ok === false && verdict.error).toMatch(/not a supported regular expression/);
  });
});
