import { prototypeKeyPath } from './prototype-keys';

describe('prototypeKeyPath', () => {
  it('finds an own constructor key in a nested object, naming its path', () => {
    const body = JSON.parse('{"name":"x","config":{"a":[{"b":1},{"constructor":[1]}]}}');
    expect(prototypeKeyPath(body, '')).toBe('config.a[1].constructor');
  });

  it('finds a __proto__ key that JSON.parse made an own property', () => {
    expect(prototypeKeyPath(JSON.parse('{"__proto__":{"polluted":true}}'), 'body')).toBe(
      'body.__proto__',
    );
  });

  it('passes values whose keys only mention the words', () => {
    expect(
      prototypeKeyPath({ constructors: 1, proto: { prototype: 2 }, list: ['constructor'] }, ''),
    ).toBe(undefined);
  });

  it('walks a value deeper than the call stack would allow recursion', () => {
    let deep: unknown = { constructor: 1 };
    for (let i = 0; i < 20_000; i++) deep = { a: deep };
    expect(prototypeKeyPath(deep, '')).toMatch(/^a(\.a)*\.constructor$/);
  });
});
