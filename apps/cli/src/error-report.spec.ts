import { BatonConnectionError, apiErrorFor } from '../../../libs/sdk/src/client';
import { reportError } from './error-report';
import { CliError, ExitCodes } from './exit-codes';

describe('reportError', () => {
  it('names the field of a 422 in one line, exit 5', () => {
    const error = apiErrorFor(422, {
      title: 'Validation failed',
      detail: 'role: must be one of admin, operator, viewer',
      code: 'REQUEST.INVALID',
      errors: [{ field: 'role', message: 'role: must be one of admin, operator, viewer' }],
    });
    expect(reportError(error)).toEqual({
      line: '422 Validation failed: role: must be one of admin, operator, viewer',
      exitCode: ExitCodes.invalid,
    });
  });

  it('adds the line and column of a workflow problem', () => {
    const error = apiErrorFor(422, {
      title: 'Validation failed',
      detail: 'invalid workflow: unknown step',
      errors: [{ field: 'workflow.steps[0]', message: 'unknown step', line: 4, column: 7 }],
    });
    expect(reportError(error).line).toBe(
      '422 Validation failed: workflow.steps[0]: unknown step (line 4, column 7)',
    );
  });

  it('says how to fix a wrong key, exit 3', () => {
    const error = apiErrorFor(401, {
      title: 'Authentication required',
      detail: 'invalid API key',
      code: 'AUTH.UNAUTHENTICATED',
    });
    expect(reportError(error)).toEqual({
      line: '401 Authentication required: invalid API key (check BATON_API_KEY or run `baton login`)',
      exitCode: ExitCodes.auth,
    });
  });

  it('maps statuses and failures to the documented exit codes', () => {
    expect(reportError(apiErrorFor(404, { detail: "run 'x' was not found" })).exitCode).toBe(4);
    expect(reportError(apiErrorFor(403, {})).exitCode).toBe(3);
    expect(reportError(apiErrorFor(503, {})).exitCode).toBe(6);
    expect(reportError(new BatonConnectionError('http://h', 'no such host'))).toEqual({
      line: 'cannot reach http://h: no such host',
      exitCode: 6,
    });
    expect(reportError(new CliError('x: bad', ExitCodes.usage)).exitCode).toBe(2);
    expect(reportError(new Error('boom')).exitCode).toBe(1);
  });
});
