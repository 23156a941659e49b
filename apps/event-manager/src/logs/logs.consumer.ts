import { LogRecordsMessage, Topics, validateInto } from '@baton/contracts';
import { decodeJsonEnvelope, PermanentError, type ConsumedMessage } from '@baton/kafka';
import { ConsumerContext, TopicConsumer } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import type { KafkaMessage } from 'kafkajs';
import { LogsRepository, type NewLogRecord } from './logs.repository';

/** A shipment is checked whole before anything of it is stored: a bad one is dead-lettered. */
function decodeLogRecords(message: KafkaMessage) {
  const envelope = decodeJsonEnvelope(message);
  if (!envelope.workspaceid) throw new PermanentError('log records without a workspace');
  try {
    validateInto(LogRecordsMessage, envelope.data, 'data');
  } catch (error) {
    throw new PermanentError(`invalid log records: ${(error as Error).message}`);
  }
  return envelope;
}

/**
 * Stores what arrives on baton.logs, one insert per fetched batch. Logs are
 * nobody's hot path: the consumer waits for bigger batches (up to 250 ms).
 */
@Injectable()
export class LogsConsumer extends TopicConsumer {
  constructor(
    context: ConsumerContext,
    private readonly logs: LogsRepository,
  ) {
    super(context, 'logs', {
      topics: [Topics.logs],
      minBytes: 64 * 1024,
      maxWaitTimeInMs: 250,
      decode: decodeLogRecords,
      handleBatch: (messages) => this.logs.insertMany(messages.flatMap(toNewRecords)),
      onError: (error, _message, attempt) => {
        const err = { message: (error as Error).message };
        // Not logged at warn: a warning here would be shipped back to this consumer.
        if (error instanceof PermanentError)
          context.logger.info({ err }, 'log records dead-lettered');
        else context.logger.info({ err, attempt }, 'storing log records failed; will retry');
      },
    });
  }
}

function toNewRecords(message: ConsumedMessage): NewLogRecord[] {
  const data = message.envelope.data as LogRecordsMessage;
  return data.records.map((record) => ({
    workspaceId: message.envelope.workspaceid,
    source: data.source,
    record,
  }));
}
