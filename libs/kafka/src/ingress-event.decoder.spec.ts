import { decodeIngressEvent, type RawEventMessage } from './ingress-event.decoder';
import { PermanentError } from './consumer-spec';

// The full cases live beside event-manager's copy (event.decoder.spec.ts); these pin the two modes.
const KAFKA_TIME = String(Date.parse('2024-05-01T12:00:00.000Z'));
const minimal = { specversion: '1.0', id: 'e-1', source: 'shop', type: 'incoming-message' };

function message(value: string | null, headers: RawEventMessage['headers'] = {}): RawEventMessage {
  return { value: value === null ? null : Buffer.from(value), headers, timestamp: KAFKA_TIME };
}

describe('decodeIngressEvent', () => {
  it('reads a structured CloudEvent and fills Baton defaults', () => {
    expect(
      decodeIngressEvent(
        message(JSON.stringify({ ...minimal, workspaceid: 'default', data: { a: 1 } })),
      ),
    ).toEqual({
      ...minimal,
      workspaceid: 'default',
      time: '2024-05-01T12:00:00.000Z',
      correlationid: 'e-1',
      datacontenttype: 'application/json',
      data: { a: 1 },
    });
  });

  it('reads a binary-mode CloudEvent from ce_ headers and the workspace header', () => {
    const envelope = decodeIngressEvent(
      message('{"text":"hi"}', {
        ce_specversion: '1.0',
        ce_id: 'e-2',
        ce_source: 'chat',
        ce_type: 'incoming-message',
        'baton-workspace': 'acme',
      }),
    );
    expect(envelope).toMatchObject({ id: 'e-2', workspaceid: 'acme', data: { text: 'hi' } });
  });

  it('refuses an event without a workspace', () => {
    expect(() => decodeIngressEvent(message(JSON.stringify(minimal)))).toThrow(PermanentError);
  });

  describe("on a workspace's own ingress topic", () => {
    const topic = 'baton.events.ingress.acme';

    it('takes the workspace from the topic when the event names none', () => {
      expect(decodeIngressEvent(message(JSON.stringify(minimal)), topic).workspaceid).toBe('acme');
    });

    it('accepts an event naming the same workspace', () => {
      const event = { ...minimal, workspaceid: 'acme' };
      expect(decodeIngressEvent(message(JSON.stringify(event)), topic).workspaceid).toBe('acme');
    });

    it('refuses an event that claims another workspace, in the value or a header', () => {
      const claimsOther = message(JSON.stringify({ ...minimal, workspaceid: 'victim' }));
      expect(() => decodeIngressEvent(claimsOther, topic)).toThrow(PermanentError);
      expect(() => decodeIngressEvent(claimsOther, topic)).toThrow(/does not match/);
      const byHeader = message(JSON.stringify(minimal), { 'baton-workspace': 'victim' });
      expect(() => decodeIngressEvent(byHeader, topic)).toThrow(/does not match/);
    });

    it('leaves the shared topic as it was: the event names its workspace', () => {
      const event = { ...minimal, workspaceid: 'victim' };
      expect(
        decodeIngressEvent(message(JSON.stringify(event)), 'baton.events.ingress').workspaceid,
      ).toBe('victim');
    });
  });
});
