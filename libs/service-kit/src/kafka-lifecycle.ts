import { PLATFORM_TOPICS } from '@baton/contracts';
import { BatonKafka } from '@baton/kafka';
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';

/**
 * Connects the producer before any feature starts, makes sure every platform
 * topic exists, and disconnects last (after the outbox has been flushed).
 */
@Injectable()
export class KafkaLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(BatonKafka) private readonly kafka: BatonKafka) {}

  async onModuleInit(): Promise<void> {
    await this.kafka.connect();
    await this.kafka.ensureTopics(PLATFORM_TOPICS);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.kafka.disconnect();
  }
}
