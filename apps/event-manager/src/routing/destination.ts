import {
  DomainError,
  ErrorCodes,
  type DeliveryFormat,
  type DestinationDto,
  type DestinationView,
} from '@baton/contracts';

/** Where a subscription or one destination of a route delivers; stored as jsonb. */
export type Destination =
  | { kind: 'agent'; agent: string; transform: string | null }
  | { kind: 'workflow'; workflow: string; transform: string | null }
  | { kind: 'webhook'; url: string; transform: string | null }
  | { kind: 'topic'; topic: string; format: DeliveryFormat; transform: string | null };

/**
 * Reads exactly one of agent, workflow, webhook_url, topic. Platform topics
 * (`baton.*`) are refused: a subscription must not be able to write commands
 * or facts into the platform's own topics.
 */
export function toDestination(
  dto: DestinationDto,
  field: string,
  defaultTransform: string | null = null,
): Destination {
  const given = (['agent', 'workflow', 'webhook_url', 'topic'] as const).filter(
    (key) => dto[key] !== undefined,
  );
  if (given.length !== 1) {
    const where = field ? `${field}` : 'destination';
    throw new DomainError(
      ErrorCodes.validation,
      `${where}: name exactly one of agent, workflow, webhook_url or topic`,
      [{ field: where, message: 'name exactly one of agent, workflow, webhook_url or topic' }],
    );
  }
  const prefix = field ? `${field}.` : '';
  if (dto.format !== undefined && dto.topic === undefined) {
    throw DomainError.invalid(`${prefix}format`, 'applies to topic destinations only');
  }
  const transform = dto.transform ?? defaultTransform;
  if (dto.agent !== undefined) return { kind: 'agent', agent: dto.agent, transform };
  if (dto.workflow !== undefined) return { kind: 'workflow', workflow: dto.workflow, transform };
  if (dto.webhook_url !== undefined) {
    return {
      kind: 'webhook',
      url: parseWebhookUrl(dto.webhook_url, `${prefix}webhook_url`),
      transform,
    };
  }
  const topic = dto.topic!;
  if (topic.startsWith('baton.')) {
    throw DomainError.invalid(`${prefix}topic`, 'must not be a platform topic (baton.*)');
  }
  return { kind: 'topic', topic, format: dto.format ?? 'structured', transform };
}

/** Credentials in a URL would be shown in every listing; they belong in the signing secret. */
export function parseWebhookUrl(value: string, field: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw DomainError.invalid(field, 'must be an http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw DomainError.invalid(field, 'must be an http(s) URL');
  }
  if (url.username || url.password) {
    throw DomainError.invalid(field, 'must not contain credentials');
  }
  return url.toString();
}

export function toDestinationView(destination: Destination): DestinationView {
  switch (destination.kind) {
    case 'agent':
      return { kind: 'agent', agent: destination.agent, transform: destination.transform };
    case 'workflow':
      return { kind: 'workflow', workflow: destination.workflow, transform: destination.transform };
    case 'webhook':
      return { kind: 'webhook', webhook_url: destination.url, transform: destination.transform };
    case 'topic':
      return {
        kind: 'topic',
        topic: destination.topic,
        format: destination.format,
        transform: destination.transform,
      };
  }
}
