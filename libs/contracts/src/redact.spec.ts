import { REDACTED, redactSecrets, redactString } from './redact';

describe('redactSecrets', () => {
  it('replaces values under secret-looking keys at any depth', () => {
    const out = redactSecrets({
      user: 'ada',
      a: { b: { c: { d: { password: 'hunter2', api_key: 'x', 'X-Api-Key': 'y' } } } },
      list: [{ client_secret: 's' }, { Authorization: 'Bearer abcdefghij' }],
    });
    expect(out).toEqual({
      user: 'ada',
      a: { b: { c: { d: { password: REDACTED, api_key: REDACTED, 'X-Api-Key': REDACTED } } } },
      list: [{ client_secret: REDACTED }, { Authorization: REDACTED }],
    });
  });

  it('keeps keys that only contain a secret word in the middle', () => {
    expect(redactSecrets({ token_count: 3, keyboard: 'qwerty' })).toEqual({
      token_count: 3,
      keyboard: 'qwerty',
    });
  });

  it('replaces credential-looking strings under any key', () => {
    expect(redactString('calling with Bearer abc.def.ghi-123 now')).toBe(
      `calling with ${REDACTED} now`,
    );
    expect(redactString('key baton_0123456789abcdefgh used')).toBe(`key ${REDACTED} used`);
    expect(redactString('postgres://app:s3cret@db:5432/x')).toBe(
      `postgres://app:${REDACTED}@db:5432/x`,
    );
    expect(redactSecrets({ note: 'AKIAABCDEFGHIJKLMNOP' })).toEqual({ note: REDACTED });
  });

  it('survives cycles and very deep values', () => {
    const cyclic: Record<string, unknown> = { name: 'x' };
    cyclic.self = cyclic;
    expect(redactSecrets(cyclic)).toEqual({ name: 'x', self: '[truncated]' });
    let deep: unknown = 'leaf';
    for (let i = 0; i < 50; i++) deep = { next: deep };
    expect(JSON.stringify(redactSecrets(deep))).toContain('[truncated]');
  });

  it('does not change what it is given', () => {
    const input = { password: 'p' };
    redactSecrets(input);
    expect(input.password).toBe('p');
  });
});
