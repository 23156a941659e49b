import {
  createEnvelope,
  DomainError,
  ErrorCodes,
  NAME_PATTERN,
  Topics,
  WORKSPACE_ID_PATTERN,
  type Envelope,
  type HookReceivedView,
  type ReceiveHookCommand,
} from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import { hasUnstorableEscape } from '@baton/kafka';
import { checkJsonText, JsonLimitError } from '@baton/tenant-code';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { ConnectionSecrets } from '../connections/connection-secrets';
import { ConnectionsRepository } from '../connections/connections.repository';
import { HOOK_MAX_BODY_BYTES } from '../connectors/hook/hook.connector';
import {
  HOOK_DEFAULTS,
  verifyHook,
  type HookSignatureConfig,
} from '../connectors/hook/hook-signature';
import { HookSignaturesRepository } from './hook-signatures.repository';

export type HookOutcome =
  | 'accepted'
  | 'bad_signature'
  | 'stale'
  | 'replayed'
  | 'unknown_connection'
  | 'too_large'
  | 'bad_body';

const hookCalls = new Counter({
  name: 'baton_hook_requests_total',
  help: 'Inbound hook calls by outcome (accepted, bad_signature, stale, replayed, unknown_connection, too_large, bad_body); workspace and connection only for connections that exist',
  labelNames: ['workspace', 'connection', 'outcome'],
});

const BODY_LIMITS = { maxBytes: HOOK_MAX_BODY_BYTES, maxDepth: 64, maxKeys: 10_000 };

/** One answer for every refusal, so a caller cannot tell a missing workspace or connection from a bad signature. */
function refused(): DomainError {
  return new DomainError(
    ErrorCodes.unauthorized,
    'the hook call is not signed as its connection requires',
  );
}

/**
 * Turns a signed call from an outside system into a stored event: the
 * connection (kind `hook`) of the workspace is found, the raw body checked
 * against its signing secret and scheme, the signature remembered (so a
 * replay is refused on every replica), and the event published to
 * baton.events.ingress in the same transaction, exactly as `POST
 * /v1/events` publishes it. Anything unverifiable is a 401, counted.
 */
@Injectable()
export class ReceiveHookUseCase {
  private calls = 0;

  constructor(
    private readonly connections: ConnectionsRepository,
    private readonly secrets: ConnectionSecrets,
    private readonly signatures: HookSignaturesRepository,
    private readonly uow: UnitOfWork,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(command: ReceiveHookCommand, request: Envelope): Promise<HookReceivedView> {
    const body = Buffer.from(command.body_base64, 'base64');
    const count = (outcome: HookOutcome, known = false) =>
      hookCalls.inc({
        workspace: known ? command.workspace : '',
        connection: known ? command.connection : '',
        outcome,
      });
    const connection =
      WORKSPACE_ID_PATTERN.test(command.workspace) && NAME_PATTERN.test(command.connection)
        ? await this.connections.find(command.workspace, command.connection)
        : null;
    const secret = connection?.connector === 'hook' ? this.secrets.open(connection) : undefined;
    if (!connection || connection.connector !== 'hook' || !secret?.signing_secret) {
      count('unknown_connection');
      throw refused();
    }
    const config = signatureConfig(connection.config);
    const headers = lowerCased(command.headers);
    const verdict = verifyHook(config, secret.signing_secret, headers, body);
    if (!verdict.ok) {
      count(verdict.reason, true);
      this.logger.warn(
        { workspace: command.workspace, connection: command.connection, reason: verdict.reason },
        'hook call refused',
      );
      throw refused();
    }
    const limit = Number(connection.config.max_body_bytes ?? HOOK_MAX_BODY_BYTES);
    if (body.length > limit) {
      count('too_large', true);
      throw new DomainError(ErrorCodes.tooLarge, `body is over ${limit} bytes`, [
        { field: 'body', message: `must be at most ${limit} bytes` },
      ]);
    }
    let data: unknown;
    try {
      data = bodyData(body, headers['content-type']);
    } catch (error) {
      count('bad_body', true);
      throw error;
    }
    const eventId = randomUUID();
    const type = String(connection.config.event_type);
    const envelope = createEnvelope({
      id: eventId,
      type,
      source: `hooks/${connection.name}`,
      workspaceId: connection.workspaceId,
      correlationId: request.correlationid,
      data,
      // event-manager audits the publish as it does for POST /v1/events.
      principal: `hook:${connection.name}`,
      credential: `hook:${connection.name}`,
    });
    const accepted = await this.uow.run(async (tx) => {
      const fresh = await this.signatures.remember(tx.manager, {
        workspaceId: connection.workspaceId,
        connection: connection.name,
        digest: verdict.digest,
        eventId,
        expiresAt: verdict.rememberUntil,
      });
      if (!fresh) return false;
      tx.publish({ topic: Topics.eventsIngress, key: eventId, envelope });
      return true;
    });
    if (!accepted) {
      count('replayed', true);
      this.logger.warn(
        { workspace: command.workspace, connection: command.connection, reason: 'replayed' },
        'hook call refused',
      );
      throw refused();
    }
    count('accepted', true);
    if (++this.calls % 100 === 0) {
      void this.signatures
        .purgeExpired()
        .catch((error: Error) =>
          this.logger.warn({ err: { message: error.message } }, 'purging hook signatures failed'),
        );
    }
    return { id: eventId, type };
  }
}

function signatureConfig(config: Record<string, unknown>): HookSignatureConfig {
  return {
    scheme: config.scheme as HookSignatureConfig['scheme'],
    signature_header: String(config.signature_header ?? HOOK_DEFAULTS.signature_header),
    timestamp_header: String(config.timestamp_header ?? HOOK_DEFAULTS.timestamp_header),
    tolerance_seconds: Number(config.tolerance_seconds ?? HOOK_DEFAULTS.tolerance_seconds),
  };
}

function lowerCased(headers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === 'string') out[name.toLowerCase()] = value;
  }
  return out;
}

/**
 * The event's data: JSON bodies parsed (bounded in depth and keys), forms
 * (Slack's slash commands and interactions) as an object of their fields,
 * anything else as text. What the event store cannot hold is a 422 now,
 * not a dead letter later.
 */
export function bodyData(body: Buffer, contentType = ''): unknown {
  const text = body.toString('utf8');
  const invalid = (message: string) =>
    new DomainError(ErrorCodes.validation, `body ${message}`, [{ field: 'body', message }]);
  if (text.includes('\u0000') || hasUnstorableEscape(text)) {
    throw invalid('contains \\u0000 or an unpaired surrogate, which cannot be stored');
  }
  const type = contentType.split(';')[0].trim().toLowerCase();
  if (type === 'application/json' || type.endsWith('+json')) {
    try {
      checkJsonText(text, BODY_LIMITS, 'body', body.length);
      return JSON.parse(text) as unknown;
    } catch (error) {
      if (error instanceof JsonLimitError) throw invalid(error.reason);
      throw invalid('is not valid JSON');
    }
  }
  if (type === 'application/x-www-form-urlencoded') {
    const form: Record<string, string> = {};
    for (const [key, value] of new URLSearchParams(text)) form[key] = value;
    return form;
  }
  return text;
}
