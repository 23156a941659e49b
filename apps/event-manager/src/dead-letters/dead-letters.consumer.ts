import { DLQ_TOPICS, type Envelope } from '@baton/contracts';
import { ConsumerContext, TopicConsumer } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { readDeadLetter, type DeadLetterRecord } from './dead-letter-record';
import { DeadLettersRepository } from './dead-letters.repository';

/**
 * Counts what every service dead-letters: reads the baton.dlq.* topics and
 * stores one row per message (its workspace, kind, reason, source), which
 * `dead_letters` in alert rules counts over a window. Its decoder never
 * refuses a message, and a failing insert is retried rather than
 * dead-lettered: this consumer reads its own service's dead-letter topic too.
 */
@Injectable()
export class DeadLettersConsumer extends TopicConsumer {
  constructor(
    context: ConsumerContext,
    private readonly letters: DeadLettersRepository,
  ) {
    super(context, 'dead-letters', {
      topics: [...DLQ_TOPICS],
      // What was dead-lettered before the first start counts too (within the rules' windows).
      fromBeginning: true,
      // A database outage must not send counted letters back to a dead-letter topic it reads.
      maxAttempts: 1_000,
      // A decoder is not told the partition: the handler sets it from the consumed message.
      decode: (raw, topic) => asEnvelope(readDeadLetter(raw, topic, 0)),
      handleBatch: async (messages) => {
        await this.letters.insertMany(
          messages.map((m) => ({
            ...(m.envelope.data as DeadLetterRecord),
            partition: m.partition,
          })),
        );
      },
      onError: (error, _message, attempt) =>
        context.logger.warn(
          { err: { message: (error as Error).message }, attempt },
          'storing dead letters failed; will retry',
        ),
    });
  }
}

/** The consumer hands envelopes to its handler: the record rides in `data`. */
function asEnvelope(record: DeadLetterRecord): Envelope<DeadLetterRecord> {
  return {
    specversion: '1.0',
    id: `${record.dlqTopic}/${record.offset}`,
    type: 'baton.dlq.letter',
    source: record.dlqTopic,
    time: record.deadAt.toISOString(),
    datacontenttype: 'application/json',
    data: record,
    workspaceid: record.workspaceId ?? '',
    correlationid: `${record.dlqTopic}/${record.offset}`,
  };
}
