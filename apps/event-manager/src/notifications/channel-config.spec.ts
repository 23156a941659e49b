import { DomainError } from '@baton/contracts';
import { channelSettings, guardedField, guardedUrl, PAGERDUTY_EVENTS_URL } from './channel-config';
import { resolveChannels } from './channels.repository';

const secret = () => 'generated-secret-generated-secret';

function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as DomainError).toPayload().errors?.[0]?.field;
  }
  return undefined;
}

describe('notification channel settings', () => {
  it('splits an email config into a shown target and sealed secrets', () => {
    const settings = channelSettings(
      'email',
      { host: 'smtp.example.com', from: 'a@b.c', to: 'oncall@b.c', username: 'u', password: 'p' },
      secret,
    );
    expect(settings).toEqual({
      kind: 'email',
      target: {
        host: 'smtp.example.com',
        port: 587,
        secure: false,
        require_tls: true,
        from: 'a@b.c',
        to: ['oncall@b.c'],
        username: 'u',
      },
      secrets: { password: 'p' },
    });
    expect(guardedUrl(settings)).toBe('smtp://smtp.example.com:587');
  });

  it('keeps the Slack URL secret and shows only its host', () => {
    const settings = channelSettings(
      'slack',
      { webhook_url: 'https://hooks.slack.com/services/T/B/token' },
      secret,
    );
    expect(settings.target).toEqual({ webhook_host: 'hooks.slack.com' });
    expect(JSON.stringify(settings.target)).not.toContain('token');
  });

  it('generates a webhook signing secret when none is given; PagerDuty defaults its URL', () => {
    expect(channelSettings('webhook', { url: 'https://x.example/h' }, secret).secrets).toEqual({
      signing_secret: 'generated-secret-generated-secret',
    });
    expect(channelSettings('pagerduty', { routing_key: 'R0UT1NG' }, secret).target).toEqual({
      url: PAGERDUTY_EVENTS_URL,
    });
  });

  it.each([
    ['email', { host: 'h', from: 'a@b.c', to: 'not-an-address' }, 'config.to'],
    ['email', { host: 'h', from: 'a\r\nBcc: x@y.z', to: 'a@b.c' }, 'config.from'],
    ['email', { host: 'h', from: 'a@b.c', to: 'a@b.c', port: 70000 }, 'config.port'],
    ['email', { host: 'h', from: 'a@b.c', to: 'a@b.c', cc: 'x' }, 'config.cc'],
    ['slack', { webhook_url: 'ftp://x' }, 'config.webhook_url'],
    ['webhook', { url: 'https://user:pw@x.example/' }, 'config.url'],
    ['webhook', { url: 'https://x.example/', signing_secret: 'short' }, 'config.signing_secret'],
    ['pagerduty', { routing_key: 'has spaces' }, 'config.routing_key'],
  ] as const)('refuses a bad %s config naming the field', (kind, config, field) => {
    expect(fieldOf(() => channelSettings(kind, config, secret))).toBe(field);
  });

  it('names the field the address guard checks per kind', () => {
    expect(guardedField('email')).toBe('config.host');
    expect(guardedField('slack')).toBe('config.webhook_url');
  });
});

describe("a rule's notification_channels", () => {
  const channels = [
    { name: 'oncall-mail', kind: 'email' as const, admin: false },
    { name: 'email', kind: 'slack' as const, admin: false },
    { name: 'ops', kind: 'slack' as const, admin: true },
  ];

  it('names a channel by name first, else every channel of that kind', () => {
    expect(resolveChannels(['oncall-mail'], channels)).toEqual({
      names: ['oncall-mail'],
      unknown: [],
    });
    // A channel named 'email' wins over the kind.
    expect(resolveChannels(['email'], channels).names).toEqual(['email']);
    expect(resolveChannels(['slack'], channels).names).toEqual(['email', 'ops']);
  });

  it('takes `admin` for every admin channel, and none is not an error', () => {
    expect(resolveChannels(['admin'], channels)).toEqual({ names: ['ops'], unknown: [] });
    expect(resolveChannels(['admin'], channels.slice(0, 2))).toEqual({ names: [], unknown: [] });
    // A channel named 'admin' is that channel.
    const named = [...channels, { name: 'admin', kind: 'webhook' as const, admin: false }];
    expect(resolveChannels(['admin'], named).names).toEqual(['admin']);
  });

  it('reports entries that match nothing', () => {
    expect(resolveChannels(['pagerduty', 'ops'], channels)).toEqual({
      names: ['ops'],
      unknown: ['pagerduty'],
    });
  });
});
