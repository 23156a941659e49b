import { PlatformStatusMessage, PlatformStatusType, Topics, validateInto } from '@baton/contracts';
import { BatonKafka, decodeJsonEnvelope, MessageConsumer, PermanentError } from '@baton/kafka';
import { Readiness } from '@baton/service-kit';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import { ServiceStatusRepository } from './service-status.repository';

const PRUNE_EVERY_MS = 3_600_000;

function decodeStatus(message: KafkaMessage) {
  const envelope = decodeJsonEnvelope(message);
  if (envelope.type !== PlatformStatusType)
    throw new PermanentError(`not a status report: ${envelope.type}`);
  try {
    validateInto(PlatformStatusMessage, envelope.data, 'data');
  } catch (error) {
    throw new PermanentError(`invalid status report: ${(error as Error).message}`);
  }
  return envelope;
}

/**
 * Keeps the latest status report of every service replica
 * (baton.platform.status, sent by service-kit's StatusReporter every 15 s):
 * what `services_not_ready` and `consumer_lag` read.
 */
@Injectable()
export class PlatformStatusConsumer implements OnModuleInit, OnModuleDestroy {
  private readonly consumer: MessageConsumer;
  private prunedAt = 0;

  constructor(
    @Inject(BatonKafka) kafka: BatonKafka,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(Readiness) private readonly readiness: Readiness,
    private readonly status: ServiceStatusRepository,
  ) {
    this.consumer = new MessageConsumer(kafka, {
      groupId: 'baton-event-manager-platform-status',
      topics: [Topics.platformStatus],
      dlqTopic: Topics.dlq('event-manager'),
      decode: decodeStatus,
      handle: async (message) => {
        await this.status.record(
          message.envelope.data as PlatformStatusMessage,
          new Date(message.envelope.time),
        );
        await this.pruneNowAndThen();
      },
      onError: (error, _message, attempt) =>
        logger.info(
          { err: { message: (error as Error).message }, attempt },
          'storing a status report failed',
        ),
    });
  }

  async onModuleInit(): Promise<void> {
    this.readiness.registerConsumer('platform-status', this.consumer);
    await this.consumer.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer.stop();
  }

  private async pruneNowAndThen(): Promise<void> {
    if (Date.now() - this.prunedAt < PRUNE_EVERY_MS) return;
    this.prunedAt = Date.now();
    await this.status
      .prune()
      .catch((err: unknown) => this.logger.warn({ err }, 'pruning old status reports failed'));
  }
}
