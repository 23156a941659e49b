import { actionTarget } from '../actions/execute-action.usecase';
import { mergePatch } from './update-connection.usecase';

describe('connection merge patch (RFC 7386)', () => {
  it('merges objects, replaces the rest, and removes keys set to null', () => {
    expect(
      mergePatch(
        { base_url: 'https://a', auth: { type: 'basic', username: 'ada' }, headers: { a: '1' } },
        { auth: { username: 'grace' }, headers: null, probe_path: '/ping' },
      ),
    ).toEqual({
      base_url: 'https://a',
      auth: { type: 'basic', username: 'grace' },
      probe_path: '/ping',
    });
    expect(mergePatch({ a: [1, 2] }, { a: [3] })).toEqual({ a: [3] });
    expect(mergePatch({ a: 1 }, {})).toEqual({ a: 1 });
  });
});

describe('action names', () => {
  it('reads <connection>.<operation>, and send-message on the step connection', () => {
    expect(actionTarget('crm.request', 'default')).toEqual({
      connection: 'crm',
      operation: 'request',
    });
    expect(actionTarget('orders-db.query', 'default')).toEqual({
      connection: 'orders-db',
      operation: 'query',
    });
    expect(actionTarget('send-message', 'team-chat')).toEqual({
      connection: 'team-chat',
      operation: 'send-message',
    });
    expect(actionTarget('teleport', 'default')).toBeUndefined();
    expect(actionTarget('.request', 'default')).toBeUndefined();
    expect(actionTarget('crm.', 'default')).toBeUndefined();
  });
});
