import { Topics, type Envelope } from '@baton/contracts';
import {
  BatonKafka,
  MessageConsumer,
  decodeIngressEvent,
  type ConsumedMessage,
} from '@baton/kafka';
import { Readiness } from '@baton/service-kit';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ResolveWaitUseCase } from './resolve-wait.usecase';
import { RunsRepository } from './runs.repository';

/** Marks what could not be read as an event: skipped here (event-manager dead-letters it). */
const UNREADABLE = '';

/**
 * Ends wait_for_event steps (and escalations) with the events that arrive on
 * baton.events.ingress, whether a Kafka producer wrote them or `POST
 * /v1/events` did. Its own consumer group reads every event; one query per
 * fetched batch finds the waits they end.
 */
@Injectable()
export class EventWaitsConsumer implements OnModuleInit, OnModuleDestroy {
  private readonly consumer: MessageConsumer;

  constructor(
    @Inject(BatonKafka) kafka: BatonKafka,
    @Inject(Readiness) private readonly readiness: Readiness,
    private readonly runs: RunsRepository,
    private readonly resolve: ResolveWaitUseCase,
  ) {
    this.consumer = new MessageConsumer(kafka, {
      groupId: 'baton-workflow-engine-waits',
      topics: [Topics.eventsIngress],
      dlqTopic: Topics.dlq('workflow-engine'),
      partitionsConsumedConcurrently: 3,
      maxWaitTimeInMs: 100,
      decode: (message) => toEnvelope(message),
      handleBatch: (messages) => this.handle(messages),
    });
  }

  async onModuleInit(): Promise<void> {
    this.readiness.register('event-waits', () => this.consumer.isJoined);
    await this.consumer.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer.stop();
  }

  private async handle(messages: ConsumedMessage[]): Promise<void> {
    const events = messages.map((m) => m.envelope).filter((e) => e.type !== UNREADABLE);
    const matches = await this.runs.matchWaits(
      events.map((e) => ({
        workspaceId: e.workspaceid,
        type: e.type,
        keys: [e.subject, e.correlationid].filter((k): k is string => !!k),
      })),
    );
    for (const match of matches) await this.resolve.execute(match, events[match.probe]);
  }
}

/** The same reading as the event store's and the triggers': a wait ends only on a stored event. */
function toEnvelope(message: Parameters<typeof decodeIngressEvent>[0]): Envelope {
  try {
    return decodeIngressEvent(message);
  } catch {
    return {
      specversion: '1.0',
      id: '',
      type: UNREADABLE,
      source: '',
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      data: null,
      workspaceid: '',
      correlationid: '',
    };
  }
}
