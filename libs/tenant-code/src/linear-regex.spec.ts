import Ajv from 'ajv';
import {
  compileLinearRegex,
  linearRegExpForAjv,
  quoteRegex,
  Re2RegexEngine,
  RegexRejectedError,
} from './linear-regex';

describe('compileLinearRegex', () => {
  it('answers (a+)+$ on a long near-miss: RE2 does not backtrack', () => {
    expect(compileLinearRegex('(a+)+$').test(`${'a'.repeat(100_000)}!`)).toBe(false);
    expect(compileLinearRegex('(a+)+$').test('baaa')).toBe(true);
  });

  it('applies the i, m and s flags', () => {
    expect(compileLinearRegex('^b.c$', 'ims').test('A\nB\nC')).toBe(true);
    expect(compileLinearRegex('^b.c$', 'im').test('A\nB\nC')).toBe(false);
    expect(compileLinearRegex('^b\\nc$', 'im').test('a\nB\nc')).toBe(true);
    expect(compileLinearRegex('b.c', 's').test('b\nc')).toBe(true);
  });

  it.each(['(a)\\1', '(?<=a)b', '(?!a)b', '(unclosed'])('refuses %s with a reason', (pattern) => {
    expect(() => compileLinearRegex(pattern)).toThrow(RegexRejectedError);
    expect(() => compileLinearRegex(pattern)).toThrow(/not a supported regular expression \(.+\)/);
  });

  it('refuses unknown flags and overlong patterns', () => {
    expect(() => compileLinearRegex('a', 'y')).toThrow(/unknown flag y/);
    expect(() => compileLinearRegex('a'.repeat(10_001))).toThrow(/longer than 10000/);
  });

  it('quotes text so that it matches only itself', () => {
    const text = 'a.b*c(d)[e]{f}|g+h?^$\\';
    expect(compileLinearRegex(`^${quoteRegex(text)}$`).test(text)).toBe(true);
    expect(compileLinearRegex(`^${quoteRegex('a.b')}$`).test('axb')).toBe(false);
  });
});

describe('Re2RegexEngine (the contract JSONata expects of RegexEngine)', () => {
  it('execs from lastIndex and leaves lastIndex after the match, with UTF-16 offsets', () => {
    const engine = new Re2RegexEngine(/(b)(x)?/gi);
    engine.lastIndex = 0;
    const first = engine.exec('a😀Bcb');
    expect(first?.index).toBe(3);
    expect([...(first ?? [])]).toEqual(['B', 'B', undefined]);
    expect(engine.lastIndex).toBe(4);
    const second = engine.exec('a😀Bcb');
    expect(second?.index).toBe(5);
    expect(engine.exec('a😀Bcb')).toBeNull();
  });
});

describe('linearRegExpForAjv (JSON Schema `pattern` on RE2)', () => {
  // Ajv is the engine's and agent-manager's schema validator; tenants write the schemas.
  const ajv = new Ajv({ code: { regExp: linearRegExpForAjv } });

  it('validates a catastrophic pattern against a long string without backtracking', () => {
    const validate = ajv.compile({ type: 'string', pattern: '^(a+)+$' });
    expect(validate(`${'a'.repeat(100_000)}!`)).toBe(false);
    expect(validate('aaaa')).toBe(true);
  });

  it('makes a schema with a backreference fail to compile, naming the reason', () => {
    expect(() => ajv.compile({ type: 'string', pattern: '(a)\\1' })).toThrow(
      /not a supported regular expression/,
    );
  });
});
