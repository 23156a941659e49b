import { isConnectionFailure } from './connection-failure';

describe('isConnectionFailure', () => {
  it.each([
    ['too many clients', { code: '53300', message: 'sorry, too many clients already' }],
    ['the server shutting down', { code: '57P01', message: 'terminating connection' }],
    ['a connection exception', { code: '08006', message: 'connection failure' }],
    ['a refused socket', { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    ['a pool that cannot connect', new Error('timeout exceeded when trying to connect')],
  ])('says the database failed on %s', (_, error) => {
    expect(isConnectionFailure(error)).toBe(true);
  });

  it.each([
    ['a unique violation', { code: '23505', message: 'duplicate key' }],
    ['a bug', new TypeError('x is undefined')],
    ['nothing', undefined],
  ])('says the request failed on %s', (_, error) => {
    expect(isConnectionFailure(error)).toBe(false);
  });
});
