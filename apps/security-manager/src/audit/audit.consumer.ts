import { AuditEntryMessage, Topics, validateInto } from '@baton/contracts';
import { BatonKafka, MessageConsumer, PermanentError, type ConsumedMessage } from '@baton/kafka';
import { Readiness } from '@baton/service-kit';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { AuditRepository, type NewAuditEntry } from './audit.repository';

/**
 * Stores the audit trail that every service publishes on baton.audit. A batch
 * is one insert; the message id is the primary key, so redelivery is harmless.
 */
@Injectable()
export class AuditConsumer implements OnModuleInit, OnModuleDestroy {
  private readonly consumer: MessageConsumer;

  constructor(
    @Inject(BatonKafka) kafka: BatonKafka,
    @Inject(Readiness) private readonly readiness: Readiness,
    private readonly audit: AuditRepository,
  ) {
    this.consumer = new MessageConsumer(kafka, {
      groupId: 'baton-security-manager-audit',
      topics: [Topics.audit],
      dlqTopic: Topics.dlq('security-manager'),
      handleBatch: (messages) => this.record(messages),
    });
  }

  async onModuleInit(): Promise<void> {
    this.readiness.registerConsumer('audit', this.consumer);
    await this.consumer.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer.stop();
  }

  /**
   * One invalid entry fails the batch with a PermanentError: the consumer then
   * replays the batch one message at a time, so the valid entries are stored
   * and only the invalid one (a batch of one that fails) is dead-lettered.
   */
  private async record(messages: ConsumedMessage[]): Promise<void> {
    await this.audit.insertMany(messages.map(toNewEntry));
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
    actor: entry.actor,
    action: entry.action,
    resource: entry.resource,
    outcome: entry.outcome,
    details: entry.details ?? {},
    correlationId: envelope.correlationid,
    time: envelope.time,
  };
}
