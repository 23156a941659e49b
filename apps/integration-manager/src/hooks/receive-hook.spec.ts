import { DomainError } from '@baton/contracts';
import { bodyData } from './receive-hook.usecase';

describe('bodyData', () => {
  it('parses JSON, forms and keeps anything else as text', () => {
    expect(bodyData(Buffer.from('{"a":[1,2]}'), 'application/json; charset=utf-8')).toEqual({
      a: [1, 2],
    });
    expect(bodyData(Buffer.from('{"a":1}'), 'application/vnd.github+json')).toEqual({ a: 1 });
    expect(
      bodyData(
        Buffer.from('payload=%7B%22x%22%3A1%7D&team=T1'),
        'application/x-www-form-urlencoded',
      ),
    ).toEqual({
      payload: '{"x":1}',
      team: 'T1',
    });
    expect(bodyData(Buffer.from('plain words'), 'text/plain')).toBe('plain words');
    expect(bodyData(Buffer.alloc(0))).toBe('');
  });

  it('refuses what the event store cannot hold, naming the body', () => {
    const refused = (body: string, type = 'application/json') => {
      try {
        bodyData(Buffer.from(body), type);
        return null;
      } catch (error) {
        return (error as DomainError).errors?.[0]?.field;
      }
    };
    expect(refused('{"a":"\\u0000"}')).toBe('body');
    expect(refused('{"a":')).toBe('body');
    expect(refused('['.repeat(100) + ']'.repeat(100))).toBe('body');
    expect(refused('nul \u0000 here', 'text/plain')).toBe('body');
  });
});
