import { DomainError, ErrorCodes, RateLimitedError } from '@baton/contracts';
import type { ArgumentsHost } from '@nestjs/common';
import type { Logger } from 'pino';
import { ProblemFilter } from './problem.filter';

function run(exception: unknown): {
  level: string;
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
} {
  const logged: string[] = [];
  const logger = {
    error: () => logged.push('error'),
    warn: () => logged.push('warn'),
  } as unknown as Logger;
  const answer = { status: 0, body: '' };
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string) {
      headers[name] = value;
    },
    status(code: number) {
      answer.status = code;
      return this;
    },
    type() {
      return this;
    },
    send(body: string) {
      answer.body = body;
      return this;
    },
  };
  const host = {
    switchToHttp: () => ({
      getResponse: () => response,
      getRequest: () => ({ method: 'GET', path: '/v1/x', originalUrl: '/v1/x' }),
    }),
  } as unknown as ArgumentsHost;
  new ProblemFilter(logger).catch(exception, host);
  return { level: logged.join(), status: answer.status, body: JSON.parse(answer.body), headers };
}

describe('ProblemFilter', () => {
  it('logs its own failures as errors, with the error id it answers', () => {
    const { level, status, body } = run(new Error('boom'));
    expect(level).toBe('error');
    expect(status).toBe(500);
    expect(body.detail).toMatch(/error id [0-9a-f-]{36}/);
  });

  it("logs another party's failure (an agent, a timeout) as a warning", () => {
    expect(run(new DomainError(ErrorCodes.upstreamFailed, 'agent failed')).level).toBe('warn');
    const timeout = run(new DomainError(ErrorCodes.timeout, 'no answer'));
    expect(timeout).toMatchObject({ level: 'warn', status: 504 });
  });

  it('logs nothing for a 4xx', () => {
    expect(run(new DomainError(ErrorCodes.validation, 'bad')).level).toBe('');
  });

  it('answers a rate limit with 429, Retry-After and the limit reached', () => {
    const { status, body, headers } = run(new RateLimitedError('too many', 17, 'requests_per_key'));
    expect(status).toBe(429);
    expect(headers['Retry-After']).toBe('17');
    expect(body).toMatchObject({
      code: 'REQUEST.RATE_LIMITED',
      errors: [{ field: 'requests_per_key', message: 'too many' }],
    });
  });
});
