import { PlatformStatusMessage, PlatformStatusType, Topics } from '@baton/contracts';
import { BatonKafka, checkedDecoder } from '@baton/kafka';
import { Readiness, TopicConsumer } from '@baton/service-kit';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
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
    @Inject(BatonKafka) kafka: BatonKafka,
    @Inject(LOGGER) logger: Logger,
    @Inject(Readiness) readiness: Readiness,
    private readonly status: ServiceStatusRepository,
  ) {
    super(kafka, readiness, 'platform-status', {
      groupId: 'baton-event-manager-platform-status',
      topics: [Topics.platformStatus],
      dlqTopic: Topics.dlq('event-manager'),
      decode: decodeStatus,
      handle: async (message) => {
        await this.status.record(
          message.envelope.data as PlatformStatusMessage,
          new Date(message.envelope.time),
        );
      },
      onError: (error, _message, attempt) =>
        logger.info(
          { err: { message: (error as Error).message }, attempt },
          'storing a status report failed',
        ),
    });
  }
}
