import { smtpFailure } from './smtp.connector';

describe('smtpFailure', () => {
  const error = (fields: Record<string, unknown>) =>
    Object.assign(new Error('banner 10.0.0.5'), fields);

  it('types permanent (5xx) answers and refused credentials as the caller’s', () => {
    expect(smtpFailure(error({ code: 'EENVELOPE', responseCode: 550 }), 's')).toMatchObject({
      type: 'validation_error',
      message: 's: server answered 550 (EENVELOPE)',
    });
    expect(smtpFailure(error({ code: 'EAUTH', responseCode: 535 }), 's')).toMatchObject({
      type: 'validation_error',
      message: 's: credentials refused (535)',
    });
  });

  it('types temporary (4xx) answers and the network as the server’s, timeouts as timeout', () => {
    expect(smtpFailure(error({ code: 'EENVELOPE', responseCode: 451 }), 's').type).toBe(
      'system_error',
    );
    expect(smtpFailure(error({ code: 'ECONNECTION' }), 's')).toMatchObject({
      type: 'system_error',
      message: 's failed: ECONNECTION',
    });
    expect(smtpFailure(error({ code: 'ETIMEDOUT' }), 's').type).toBe('timeout');
  });
});
