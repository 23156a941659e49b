import { DomainError, type ChannelKind } from '@baton/contracts';
import { parseWebhookUrl } from '../routing/destination';

/**
 * Per channel kind: the target (shown in listings) and the secrets (sealed at
 * rest, never shown) read from a channel's `config`. Pure: addresses are
 * checked against the outbound guard by the caller.
 */
export interface EmailTarget {
  host: string;
  port: number;
  secure: boolean;
  require_tls: boolean;
  from: string;
  to: string[];
  username?: string;
}
export interface EmailSecrets {
  password?: string;
}
export interface SlackSecrets {
  webhook_url: string;
}
export interface WebhookTarget {
  url: string;
}
export interface WebhookSecrets {
  signing_secret: string;
}
export interface PagerDutyTarget {
  url: string;
}
export interface PagerDutySecrets {
  routing_key: string;
}

export type ChannelSettings =
  | { kind: 'email'; target: EmailTarget; secrets: EmailSecrets }
  | { kind: 'slack'; target: { webhook_host: string }; secrets: SlackSecrets }
  | { kind: 'webhook'; target: WebhookTarget; secrets: WebhookSecrets }
  | { kind: 'pagerduty'; target: PagerDutyTarget; secrets: PagerDutySecrets };

export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';
const ADDRESS = /^[^\s@<>",;]{1,64}@[^\s@<>",;]{1,255}$/;
const LINE = /^[^\r\n]{3,400}$/;
const MAX_RECIPIENTS = 20;

/** Reads and checks `config` for `kind`; a DomainError naming `config.<field>` when it is wrong. */
export function channelSettings(
  kind: ChannelKind,
  config: Record<string, unknown>,
  generatedSecret: () => string,
): ChannelSettings {
  const known = KNOWN_FIELDS[kind];
  for (const key of Object.keys(config)) {
    if (!known.includes(key))
      throw DomainError.invalid(`config.${key}`, `is not a setting of ${kind} channels`);
  }
  switch (kind) {
    case 'email': {
      const to = config.to;
      const recipients = typeof to === 'string' ? [to] : to;
      if (
        !Array.isArray(recipients) ||
        recipients.length === 0 ||
        recipients.length > MAX_RECIPIENTS ||
        !recipients.every((r) => typeof r === 'string' && ADDRESS.test(r))
      ) {
        throw DomainError.invalid(
          'config.to',
          `must be an email address or a list of 1 to ${MAX_RECIPIENTS}`,
        );
      }
      const port = config.port ?? 587;
      if (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65_535)
        throw DomainError.invalid('config.port', 'must be a port number');
      return {
        kind,
        target: {
          host: hostName(config.host, 'config.host'),
          port: port as number,
          secure: bool(config.secure, false, 'config.secure'),
          require_tls: bool(config.require_tls, true, 'config.require_tls'),
          from: text(config.from, LINE, 'config.from', 'must be one line: a@b.c or "Name <a@b.c>"'),
          to: recipients as string[],
          ...(config.username !== undefined
            ? {
                username: text(
                  config.username,
                  /^[^\r\n]{1,320}$/,
                  'config.username',
                  'must be one line',
                ),
              }
            : {}),
        },
        secrets:
          config.password !== undefined
            ? {
                password: text(
                  config.password,
                  /^.{1,1000}$/s,
                  'config.password',
                  'must be a string',
                ),
              }
            : {},
      };
    }
    case 'slack': {
      const url = parseWebhookUrl(String(config.webhook_url ?? ''), 'config.webhook_url');
      return { kind, target: { webhook_host: new URL(url).host }, secrets: { webhook_url: url } };
    }
    case 'webhook': {
      const url = parseWebhookUrl(String(config.url ?? ''), 'config.url');
      const secret =
        config.signing_secret === undefined
          ? generatedSecret()
          : text(
              config.signing_secret,
              /^.{16,200}$/s,
              'config.signing_secret',
              'must be 16 to 200 characters',
            );
      return { kind, target: { url }, secrets: { signing_secret: secret } };
    }
    case 'pagerduty': {
      const url =
        config.url === undefined
          ? PAGERDUTY_EVENTS_URL
          : parseWebhookUrl(String(config.url), 'config.url');
      return {
        kind,
        target: { url },
        secrets: {
          routing_key: text(
            config.routing_key,
            /^[A-Za-z0-9]{1,64}$/,
            'config.routing_key',
            'must be an Events API v2 integration key',
          ),
        },
      };
    }
  }
}

/** The URL or host the outbound guard checks before the channel is stored. */
export function guardedUrl(settings: ChannelSettings): string {
  switch (settings.kind) {
    case 'email':
      return `smtp://${settings.target.host}:${settings.target.port}`;
    case 'slack':
      return settings.secrets.webhook_url;
    case 'webhook':
    case 'pagerduty':
      return settings.target.url;
  }
}

/** The field a guard refusal names. */
export function guardedField(kind: ChannelKind): string {
  return {
    email: 'config.host',
    slack: 'config.webhook_url',
    webhook: 'config.url',
    pagerduty: 'config.url',
  }[kind];
}

const KNOWN_FIELDS: Record<ChannelKind, string[]> = {
  email: ['host', 'port', 'secure', 'require_tls', 'from', 'to', 'username', 'password'],
  slack: ['webhook_url'],
  webhook: ['url', 'signing_secret'],
  pagerduty: ['routing_key', 'url'],
};

function hostName(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9.:[\]-]{1,253}$/.test(value))
    throw DomainError.invalid(field, 'must be a host name or address');
  return value;
}

function bool(value: unknown, fallback: boolean, field: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw DomainError.invalid(field, 'must be true or false');
  return value;
}

function text(value: unknown, pattern: RegExp, field: string, message: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) throw DomainError.invalid(field, message);
  return value;
}
