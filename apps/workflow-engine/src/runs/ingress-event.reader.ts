/** What waits need of an event on baton.events.ingress. */
export interface IngressEvent {
  id: string;
  type: string;
  workspaceId: string;
  subject?: string;
  correlationId?: string;
  data: unknown;
}

type HeaderValue = Buffer | string | (Buffer | string)[] | undefined;

export interface RawIngressMessage {
  value: Buffer | null;
  headers?: Record<string, HeaderValue>;
}

const WORKSPACE_HEADER = 'baton-workspace';

/**
 * Reads a CloudEvent the way event-manager accepts it: structured mode (the
 * value is the event as JSON) or binary mode (`ce_*` headers, the value is the
 * data); the workspace is the `workspaceid` attribute or the baton-workspace
 * header. Unlike event-manager, which dead-letters what it cannot store, the
 * engine only looks for events that end waits: anything else is undefined.
 */
export function readIngressEvent(message: RawIngressMessage): IngressEvent | undefined {
  const binary = header(message.headers, 'ce_specversion') !== undefined;
  let attributes: Record<string, unknown>;
  if (binary) {
    attributes = {};
    for (const name of Object.keys(message.headers ?? {})) {
      const lower = name.toLowerCase();
      if (lower.startsWith('ce_')) attributes[lower.slice(3)] = header(message.headers, name);
    }
    attributes.data = parse(message.value);
  } else {
    const parsed = parse(message.value);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
    attributes = parsed as Record<string, unknown>;
  }
  const id = text(attributes.id);
  const type = text(attributes.type);
  const workspaceId = text(attributes.workspaceid) ?? header(message.headers, WORKSPACE_HEADER);
  if (!id || !type || !workspaceId) return undefined;
  return {
    id,
    type,
    workspaceId,
    subject: text(attributes.subject),
    correlationId: text(attributes.correlationid),
    data: attributes.data ?? null,
  };
}

function parse(value: Buffer | null): unknown {
  if (!value || value.length === 0) return undefined;
  try {
    return JSON.parse(value.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function header(headers: RawIngressMessage['headers'], name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined || first === null) return undefined;
  return Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
}
