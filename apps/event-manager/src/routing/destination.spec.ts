import { DomainError } from '@baton/contracts';
import { toDestination, toDestinationView } from './destination';

describe('toDestination', () => {
  it('reads exactly one target', () => {
    expect(toDestination({ agent: 'billing' }, '')).toEqual({
      kind: 'agent',
      agent: 'billing',
      transform: null,
    });
    expect(toDestination({ topic: 'orders', transform: 't' }, '')).toEqual({
      kind: 'topic',
      topic: 'orders',
      format: 'structured',
      transform: 't',
    });
    expect(() => toDestination({}, '')).toThrow(DomainError);
    expect(() => toDestination({ agent: 'a', workflow: 'w' }, '')).toThrow(/exactly one/);
  });

  it('refuses platform topics, URLs with credentials and formats of non-topic targets', () => {
    expect(() => toDestination({ topic: 'baton.audit' }, '')).toThrow(/platform topic/);
    expect(() => toDestination({ webhook_url: 'https://u:p@x.example' }, '')).toThrow(
      /credentials/,
    );
    expect(() => toDestination({ webhook_url: 'ftp://x.example' }, '')).toThrow(/http/);
    expect(() => toDestination({ agent: 'a', format: 'binary' }, 'destinations[0]')).toThrow(
      /destinations\[0\]\.format/,
    );
  });

  it('takes the route default transform when a destination names none', () => {
    expect(toDestination({ workflow: 'w' }, 'destinations[1]', 'fallback').transform).toBe(
      'fallback',
    );
    expect(toDestination({ workflow: 'w', transform: 'own' }, '', 'fallback').transform).toBe(
      'own',
    );
  });

  it('shows a webhook destination with its URL', () => {
    expect(toDestinationView(toDestination({ webhook_url: 'https://x.example/h' }, ''))).toEqual({
      kind: 'webhook',
      webhook_url: 'https://x.example/h',
      transform: null,
    });
  });
});
