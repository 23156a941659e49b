import { BatonKafka, RequestClient } from '@baton/kafka';
import type { OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Readiness } from './readiness';

/**
 * A service's request/reply client for the queries it asks other services:
 * its own reply topic, read in a consumer group of its own per process
 * (`<service>-replies-<id>`, so no rebalance moves a reply away), started
 * with the module and counted in readiness. One per process, however many
 * features ask: a subclass adds the typed questions.
 */
export abstract class ServiceRequests implements OnModuleInit, OnModuleDestroy {
  protected readonly client: RequestClient;

  protected constructor(
    kafka: BatonKafka,
    private readonly readiness: Readiness,
    private readonly readinessName: string,
    replyTopic: string,
    groupPrefix: string,
  ) {
    this.client = new RequestClient(kafka, replyTopic, groupPrefix);
  }

  async onModuleInit(): Promise<void> {
    this.readiness.register(this.readinessName, () => this.client.isReady);
    await this.client.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.client.stop();
  }
}
