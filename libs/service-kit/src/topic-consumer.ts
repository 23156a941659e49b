import { BatonKafka, MessageConsumer, type ConsumerSpec } from '@baton/kafka';
import type { OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Readiness } from './readiness';

/**
 * The one shape of a service's consumer of a topic (events, tasks, results,
 * heartbeats): a MessageConsumer in its own group that counts in readiness
 * under its name, joins when its module initialises and leaves (finishing
 * what it holds) when the service stops. A consumer extends this and lives in
 * `<feature>/<name>.consumer.ts`; the commands a feature answers on the
 * service's command topic are a `CommandHandlers` set in `<name>.handlers.ts`.
 */
export abstract class TopicConsumer implements OnModuleInit, OnModuleDestroy {
  protected readonly consumer: MessageConsumer;

  protected constructor(
    kafka: BatonKafka,
    private readonly consumerReadiness: Readiness,
    /** Its name in /health/ready. */
    private readonly readinessName: string,
    spec: ConsumerSpec,
  ) {
    this.consumer = new MessageConsumer(kafka, spec);
  }

  async onModuleInit(): Promise<void> {
    this.consumerReadiness.registerConsumer(this.readinessName, this.consumer);
    await this.consumer.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer.stop();
  }
}
