import { PlatformStatusMessage, PlatformStatusType, Topics } from '@baton/contracts';
import { checkedDecoder } from '@baton/kafka';
import { ConsumerContext, TopicConsumer } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { ServiceStatusRepository } from './service-status.repository';

const decodeStatus = checkedDecoder(PlatformStatusMessage, 'status report', (envelope) =>
  envelope.type === PlatformStatusType ? null : `not a status report: ${envelope.type}`,
);

/**
 * Keeps the latest status report of every service replica
 * (baton.platform.status, sent by service-kit's StatusReporter every 15 s):
 * what `services_not_ready` and `consumer_lag` read.
 */
@Injectable()
export class PlatformStatusConsumer extends TopicConsumer {
  constructor(
    context: ConsumerContext,
    private readonly status: ServiceStatusRepository,
  ) {
    super(context, 'platform-status', {
      topics: [Topics.platformStatus],
      decode: decodeStatus,
      handle: async (message) => {
        await this.status.record(
          message.envelope.data as PlatformStatusMessage,
          new Date(message.envelope.time),
        );
      },
      onError: (error, _message, attempt) =>
        context.logger.info(
          { err: { message: (error as Error).message }, attempt },
          'storing a status report failed',
        ),
    });
  }
}
