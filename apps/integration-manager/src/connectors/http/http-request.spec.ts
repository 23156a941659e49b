import { OperationError } from '../connector';
import { buildUrl, encodeBody, httpFailure, stepHeaders } from './http-request';

const fieldOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as OperationError).field;
  }
  return undefined;
};

describe('http request building', () => {
  it('fills the path template below base_url, encoding each value', () => {
    expect(
      buildUrl(
        'https://crm.example.com/api/v2/',
        '/cases/{id}/notes',
        { id: 'a/../b?x' },
        { q: 'x y', tag: ['a', 'b'] },
      ).href,
    ).toBe('https://crm.example.com/api/v2/cases/a%2F..%2Fb%3Fx/notes?q=x+y&tag=a&tag=b');
  });

  it('refuses a path that leaves base_url or names another host', () => {
    expect(fieldOf(() => buildUrl('https://crm.example.com/api', '/../admin'))).toBe('input.path');
    expect(fieldOf(() => buildUrl('https://crm.example.com/api', '//evil.example.com/x'))).toBe(
      'input.path',
    );
    expect(fieldOf(() => buildUrl('https://crm.example.com/api', 'cases'))).toBe('input.path');
    expect(buildUrl('https://crm.example.com', '/cases').href).toBe(
      'https://crm.example.com/cases',
    );
  });

  it('names a missing path parameter and a bad query value', () => {
    expect(fieldOf(() => buildUrl('https://x.example', '/cases/{id}', {}))).toBe(
      'input.path_params.id',
    );
    expect(fieldOf(() => buildUrl('https://x.example', '/c', {}, { q: { a: 1 } }))).toBe(
      'input.query.q',
    );
  });

  it('keeps auth and transport headers out of a step’s hands', () => {
    expect(stepHeaders({ 'X-Trace': 'a' })).toEqual({ 'x-trace': 'a' });
    expect(fieldOf(() => stepHeaders({ Authorization: 'Bearer stolen' }))).toBe(
      'input.headers.Authorization',
    );
    expect(fieldOf(() => stepHeaders({ 'X-Api-Key': 'k' }, 'x-api-key'))).toBe(
      'input.headers.X-Api-Key',
    );
    expect(fieldOf(() => stepHeaders({ 'x-a': 'one\r\nx-b: two' }))).toBe('input.headers.x-a');
  });

  it('encodes JSON and text bodies', () => {
    const headers: Record<string, string> = {};
    expect(encodeBody({ a: 1 }, headers)).toBe('{"a":1}');
    expect(headers['content-type']).toBe('application/json');
    const text: Record<string, string> = {};
    expect(encodeBody('hi', text)).toBe('hi');
    expect(text['content-type']).toMatch(/^text\/plain/);
    expect(encodeBody(undefined, {})).toBeUndefined();
  });

  it('types failures: 4xx the caller’s, 429/5xx the target’s, 408 a timeout', () => {
    expect(httpFailure(404, null, 'x')).toMatchObject({
      type: 'validation_error',
      httpStatus: 404,
    });
    expect(httpFailure(429, '3', 'x')).toMatchObject({ type: 'system_error', retryAfterMs: 3000 });
    expect(httpFailure(503, null, 'x')).toMatchObject({
      type: 'system_error',
      retryAfterMs: undefined,
    });
    expect(httpFailure(408, null, 'x')).toMatchObject({ type: 'timeout' });
    expect(httpFailure(500, null, 'x').message).toBe('x answered HTTP 500');
    expect(httpFailure(302, null, 'x').message).toContain('redirects are not followed');
  });
});
