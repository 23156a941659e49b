import { AuditEntryMessage, Topics, validateInto } from '@baton/contracts';
import { PermanentError, type ConsumedMessage } from '@baton/kafka';
import { ConsumerContext, TopicConsumer } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { AuditRepository, type NewAuditEntry } from './audit.repository';

/**
 * Stores the audit trail that every service publishes on baton.audit, each
 * workspace's entries as a hash chain (AuditRepository.append). A batch is one
 * transaction; a redelivered message id is stored once and never gets a second seq.
 */
@Injectable()
export class AuditConsumer extends TopicConsumer {
  constructor(
    context: ConsumerContext,
    private readonly audit: AuditRepository,
  ) {
    super(context, 'audit', {
      topics: [Topics.audit],
      handleBatch: (messages) => this.record(messages),
    });
  }

  /**
   * One invalid entry fails the batch with a PermanentError: the consumer then
   * replays the batch one message at a time, so the valid entries are stored
   * and only the invalid one (a batch of one that fails) is dead-lettered.
   */
  private async record(messages: ConsumedMessage[]): Promise<void> {
    await this.audit.append(messages.map(toNewEntry));
  }
}

function toNewEntry(message: ConsumedMessage): NewAuditEntry {
  const { envelope } = message;
  let entry: AuditEntryMessage;
  try {
    entry = validateInto(AuditEntryMessage, envelope.data, 'audit entry');
  } catch (error) {
    throw new PermanentError(`invalid audit entry ${envelope.id}: ${(error as Error).message}`);
  }
  return {
    messageId: envelope.id,
    workspaceId: envelope.workspaceid,
    source: clean(envelope.source),
    actor: clean(entry.actor),
    credential: entry.credential === undefined ? null : clean(entry.credential),
    action: clean(entry.action),
    resource: clean(entry.resource),
    outcome: entry.outcome,
    details: cleanJson(entry.details ?? {}) as Record<string, unknown>,
    correlationId: clean(envelope.correlationid),
    time: envelope.time,
  };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Postgres text and jsonb refuse NUL and lone surrogates: an entry holding them is kept, with U+FFFD instead. */
function clean(text: string): string {
  return text.replace(/\0/g, '\uFFFD').replace(LONE_SURROGATE, '\uFFFD');
}

function cleanJson(value: unknown): unknown {
  if (typeof value === 'string') return clean(value);
  if (Array.isArray(value)) return value.map(cleanJson);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [clean(k), cleanJson(v)]),
    );
  }
  return value;
}
