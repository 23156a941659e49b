import { Topics } from '@baton/contracts';
import {
  BroadcastConsumer,
  MessageConsumer,
  type BroadcastConsumerOptions,
  type ConsumerSpec,
} from '@baton/kafka';
import type { OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { ConsumerContext } from './consumer-context';
import type { Readiness } from './readiness';

/**
 * What a TopicConsumer reads: its group's share of the topics (a ConsumerSpec
 * whose group is `baton-<service>-<group>`, `group` being its readiness name
 * unless given, and whose dead letters go to the service's DLQ topic), or, for notifications every replica must see
 * (revocations), every message of one topic from the time it joins
 * (`{ broadcast }`: a BroadcastConsumer in a group of its own).
 */
export type TopicConsumerSpec =
  | (Omit<ConsumerSpec, 'groupId' | 'dlqTopic'> & { group?: string })
  | { broadcast: BroadcastConsumerOptions };

/**
 * The one shape of a service's consumer of a topic (events, tasks, results,
 * heartbeats, broadcasts): it counts in readiness under its name, joins when
 * its module initialises and leaves (finishing what it holds) when the
 * service stops. A consumer extends this and lives in
 * `<feature>/<name>.consumer.ts`; the commands a feature answers on the
 * service's command topic are a `CommandHandlers` set in `<name>.handlers.ts`.
 */
export abstract class TopicConsumer implements OnModuleInit, OnModuleDestroy {
  protected readonly consumer: MessageConsumer | BroadcastConsumer;

  private readonly consumerReadiness: Readiness;

  protected constructor(
    context: ConsumerContext,
    /** Its name in /health/ready. */
    private readonly readinessName: string,
    spec: TopicConsumerSpec,
  ) {
    const { kafka, service } = context;
    this.consumerReadiness = context.readiness;
    if ('broadcast' in spec) {
      this.consumer = new BroadcastConsumer(kafka, spec.broadcast);
      return;
    }
    const { group = readinessName, ...rest } = spec;
    this.consumer = new MessageConsumer(kafka, {
      ...rest,
      groupId: `baton-${service}-${group}`,
      dlqTopic: Topics.dlq(service),
    });
  }

  async onModuleInit(): Promise<void> {
    const consumer = this.consumer;
    if (consumer instanceof BroadcastConsumer) {
      // Ready once it fetches: a message published after that reaches this replica.
      this.consumerReadiness.register(this.readinessName, () => consumer.isRunning);
      consumer.launch();
      return;
    }
    this.consumerReadiness.registerConsumer(this.readinessName, consumer);
    await consumer.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer.stop();
  }
}
