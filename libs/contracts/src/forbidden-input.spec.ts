import { forbiddenInput } from './forbidden-input';

describe('forbiddenInput', () => {
  it('finds an own constructor key in a nested object, naming its path', () => {
    const body = JSON.parse('{"name":"x","config":{"a":[{"b":1},{"constructor":[1]}]}}');
    expect(forbiddenInput(body, '')?.field).toBe('config.a[1].constructor');
  });

  it('finds a __proto__ key that JSON.parse made an own property', () => {
    expect(forbiddenInput(JSON.parse('{"__proto__":{"polluted":true}}'), 'body')?.field).toBe(
      'body.__proto__',
    );
  });

  it('finds a NUL character in a string value, and in a key', () => {
    expect(forbiddenInput({ id: '\n\u0000\n' }, '')).toEqual({
      field: 'id',
      message: 'must not contain U+0000 or an unpaired surrogate',
    });
    expect(forbiddenInput({ data: { 'a\u0000': 1 } }, '')?.field).toBe('data');
  });

  it('finds an unpaired surrogate, and passes a paired one', () => {
    expect(forbiddenInput(JSON.parse('{"input":["\\udfff"]}'), '')?.field).toBe('input[0]');
    expect(forbiddenInput({ input: 'a\ud800' }, '')?.field).toBe('input');
    expect(forbiddenInput({ input: '😀 \ud83d\ude00' }, '')).toBeUndefined();
  });

  it('passes values that only mention the words or hold other control characters', () => {
    const fine = { constructors: 1, proto: { prototype: 2 }, list: ['constructor', '\u0001\t'] };
    expect(forbiddenInput(fine, '')).toBeUndefined();
  });

  it('walks a value deeper than the call stack would allow recursion', () => {
    let deep: unknown = { constructor: 1 };
    for (let i = 0; i < 20_000; i++) deep = { a: deep };
    expect(forbiddenInput(deep, '')?.field).toMatch(/^a(\.a)*\.constructor$/);
  });
});
