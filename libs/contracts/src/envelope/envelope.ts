import { randomUUID } from 'node:crypto';

/**
 * The one message envelope: CloudEvents 1.0 attributes plus Baton's tenancy and
 * causality extensions. Every Kafka message of every Baton topic carries one.
 */
export interface Envelope<T = unknown> {
  specversion: '1.0';
  id: string;
  type: string;
  source: string;
  time: string;
  subject?: string;
  datacontenttype: 'application/json';
  data: T;
  workspaceid: string;
  correlationid: string;
  causationid?: string;
  traceparent?: string;
  /**
   * Who asked for this (commands from the gateway, and the audit entries they
   * cause): the caller's principal, e.g. `apikey:ci-bot` or `user:ana@corp`.
   */
  principal?: string;
  /** What authenticated that principal: `<kind>:<id>`, e.g. `api-key:<key id>`. */
  credential?: string;
}

export interface NewEnvelope<T> {
  type: string;
  source: string;
  data: T;
  workspaceId: string;
  subject?: string;
  correlationId?: string;
  /** The message this one is a consequence of: its id becomes causationid. */
  causedBy?: Pick<Envelope, 'id' | 'correlationid'>;
  traceparent?: string;
  id?: string;
  /** The caller the message acts for (see Envelope.principal). */
  principal?: string;
  credential?: string;
}

export function createEnvelope<T>(spec: NewEnvelope<T>): Envelope<T> {
  const id = spec.id ?? randomUUID();
  return {
    specversion: '1.0',
    id,
    type: spec.type,
    source: spec.source,
    time: new Date().toISOString(),
    ...(spec.subject !== undefined ? { subject: spec.subject } : {}),
    datacontenttype: 'application/json',
    data: spec.data,
    workspaceid: spec.workspaceId,
    correlationid: spec.correlationId ?? spec.causedBy?.correlationid ?? id,
    ...(spec.causedBy ? { causationid: spec.causedBy.id } : {}),
    ...(spec.traceparent ? { traceparent: spec.traceparent } : {}),
    ...(spec.principal ? { principal: spec.principal } : {}),
    ...(spec.credential ? { credential: spec.credential } : {}),
  };
}
