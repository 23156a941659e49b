import {
  cardUrls,
  endpointOf,
  interpret,
  outputOfParts,
  sendParams,
  toParts,
} from './a2a.protocol';

describe('A2A discovery', () => {
  it('looks for agent-card.json, then agent.json, under the base URL', () => {
    expect(cardUrls('http://h:1/agents/x/')).toEqual([
      'http://h:1/agents/x/.well-known/agent-card.json',
      'http://h:1/agents/x/.well-known/agent.json',
    ]);
    expect(cardUrls('http://h:1/cards/mine.json')).toEqual(['http://h:1/cards/mine.json']);
  });

  it('takes the JSON-RPC endpoint from the card, relative URLs included', () => {
    const at = 'http://h:1/.well-known/agent-card.json';
    expect(endpointOf({ url: 'http://h:2/rpc' }, at)).toBe('http://h:2/rpc');
    expect(endpointOf({ url: '/rpc', preferredTransport: 'JSONRPC' }, at)).toBe('http://h:1/rpc');
    expect(
      endpointOf(
        {
          url: 'http://h:1/grpc',
          preferredTransport: 'GRPC',
          additionalInterfaces: [{ transport: 'JSONRPC', url: '/jsonrpc' }],
        },
        at,
      ),
    ).toBe('http://h:1/jsonrpc');
    expect(() => endpointOf({ url: 'x', preferredTransport: 'GRPC' }, at)).toThrow(/GRPC/);
    expect(() => endpointOf({ name: 'no url' }, at)).toThrow(/no url/);
  });
});

describe('A2A message/send', () => {
  it('sends strings as text and objects as data (with their text)', () => {
    expect(toParts('hi')).toEqual([{ kind: 'text', text: 'hi' }]);
    expect(toParts({ text: 'hi', n: 1 })).toEqual([
      { kind: 'text', text: 'hi' },
      { kind: 'data', data: { text: 'hi', n: 1 } },
    ]);
    expect(sendParams('m1', { n: 1 })).toMatchObject({
      message: { role: 'user', messageId: 'm1', parts: [{ kind: 'data', data: { n: 1 } }] },
      configuration: { blocking: true },
    });
  });
});

describe('A2A results', () => {
  it('reads a direct message answer', () => {
    expect(
      interpret({
        jsonrpc: '2.0',
        id: '1',
        result: { kind: 'message', parts: [{ kind: 'data', data: { a: 1 } }] },
      }),
    ).toEqual({
      kind: 'done',
      output: { a: 1 },
    });
  });

  it('reads the artifacts of a completed task', () => {
    const response = {
      result: {
        kind: 'task',
        id: 'x',
        status: { state: 'completed' },
        artifacts: [{ parts: [{ kind: 'text', text: '{"ok":true}' }] }],
      },
    };
    expect(interpret(response)).toEqual({ kind: 'done', output: { ok: true } });
  });

  it('follows a task that is still working, fails a failed one, asks for input-required', () => {
    expect(interpret({ result: { kind: 'task', id: 'x', status: { state: 'working' } } })).toEqual({
      kind: 'pending',
      taskId: 'x',
    });
    expect(
      interpret({
        result: {
          kind: 'task',
          id: 'x',
          status: { state: 'failed', message: { parts: [{ kind: 'text', text: 'no quota' }] } },
        },
      }),
    ).toEqual({
      kind: 'failed',
      type: 'system_error',
      message: 'the A2A task ended failed: no quota',
    });
    expect(
      interpret({ result: { kind: 'task', id: 'x', status: { state: 'input-required' } } }),
    ).toMatchObject({
      type: 'validation_error',
    });
  });

  it('turns JSON-RPC errors and garbage into clear failures', () => {
    expect(interpret({ error: { code: -32601, message: 'Method not found' } })).toEqual({
      kind: 'failed',
      type: 'system_error',
      message: 'A2A error -32601: Method not found',
    });
    expect(interpret('nope')).toMatchObject({ kind: 'failed' });
    expect(interpret({ result: { kind: 'blob' } })).toMatchObject({ kind: 'failed' });
  });

  it('keeps plain text as { text }', () => {
    expect(
      outputOfParts([
        { kind: 'text', text: 'hello' },
        { kind: 'text', text: 'world' },
      ]),
    ).toEqual({
      text: 'hello\nworld',
    });
  });
});
