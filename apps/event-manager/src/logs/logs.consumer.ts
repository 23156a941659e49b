import { LogRecordsMessage, Topics } from '@baton/contracts';
import { checkedDecoder, PermanentError, type ConsumedMessage } from '@baton/kafka';
import { ConsumerContext, TopicConsumer } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { LogsRepository, type NewLogRecord } from './logs.repository';

/** A shipment is checked whole before anything of it is stored: a bad one is dead-lettered. */
const decodeLogRecords = checkedDecoder(LogRecordsMessage, 'log records', (envelope) =>
  envelope.workspaceid ? null : 'log records without a workspace',
);

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
