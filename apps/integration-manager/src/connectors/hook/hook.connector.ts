import { DomainError } from '@baton/contracts';
import type { Connector, JsonSchema, Operation, OperationContext } from '../connector';
import { HOOK_DEFAULTS, HOOK_SCHEMES } from './hook-signature';

/** The most a hook call's body may hold (the gateway refuses larger ones before they travel). */
export const HOOK_MAX_BODY_BYTES = 512 * 1024;

const HEADER = { type: 'string', pattern: '^[A-Za-z0-9-]{1,100}$' };

const CONFIG_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['event_type', 'scheme'],
  additionalProperties: false,
  properties: {
    event_type: {
      type: 'string',
      pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$',
      description: 'the type of the event each verified call becomes',
    },
    scheme: {
      enum: [...HOOK_SCHEMES],
      description:
        'hmac_sha256: hex HMAC-SHA256 of "<timestamp>.<body>"; slack: signing secret v0; github: X-Hub-Signature-256',
    },
    signature_header: { ...HEADER, default: HOOK_DEFAULTS.signature_header },
    timestamp_header: { ...HEADER, default: HOOK_DEFAULTS.timestamp_header },
    tolerance_seconds: {
      type: 'integer',
      minimum: 10,
      maximum: 3600,
      default: HOOK_DEFAULTS.tolerance_seconds,
    },
    max_body_bytes: {
      type: 'integer',
      minimum: 1,
      maximum: HOOK_MAX_BODY_BYTES,
      default: HOOK_MAX_BODY_BYTES,
    },
  },
};

/**
 * Inbound: a system calls `POST /v1/hooks/{workspace}/{connection}` and a
 * verified call becomes a stored event of `event_type`. It has no
 * operations; the hooks feature (../../hooks) does the receiving.
 */
export class HookConnector implements Connector {
  readonly kind = 'hook';
  readonly description = 'Inbound webhooks: signed calls from outside systems become events';
  readonly configSchema = CONFIG_SCHEMA;
  readonly secretFields = [
    {
      name: 'signing_secret',
      required: true,
      description: 'the shared secret the caller signs with (Slack: the app signing secret)',
    },
  ];
  readonly operations: ReadonlyMap<string, Operation> = new Map();

  validateConfig(_config: Record<string, unknown>, secrets: Record<string, string>): Promise<void> {
    if (!secrets.signing_secret) {
      return Promise.reject(
        DomainError.invalid('secrets.signing_secret', 'is required: calls are verified with it'),
      );
    }
    return Promise.resolve();
  }

  probe(context: OperationContext): Promise<Record<string, unknown>> {
    // Nothing to reach: the target calls Baton. Say where.
    return Promise.resolve({
      inbound: true,
      path: `/v1/hooks/${context.connection.key}`,
      event_type: context.connection.config.event_type,
    });
  }
}
