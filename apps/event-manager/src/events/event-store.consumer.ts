import { ingressTopicWorkspace, Topics, WORKSPACE_INGRESS_TOPICS } from '@baton/contracts';
import { PermanentError } from '@baton/kafka';
import { ConsumerContext, TopicConsumer } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { decodeIngressEvent, decodePlatformEvent } from './event.decoder';
import { StoreEventsUseCase } from './store-events.usecase';

/** Every topic whose events the store keeps: the platform's facts and what users send in. */
export const STORED_TOPICS = [
  Topics.workflowEvents,
  Topics.agentEvents,
  Topics.integrationEvents,
  Topics.audit,
  Topics.eventsIngress,
  WORKSPACE_INGRESS_TOPICS,
];

/**
 * Feeds the event store. Each fetched batch becomes one insert; what cannot be
 * decoded (a malformed ingress event, an envelope without workspace) goes to
 * baton.dlq.event-manager with the reason and never holds up the partition.
 */
@Injectable()
export class EventStoreConsumer extends TopicConsumer {
  constructor(
    context: ConsumerContext,
    private readonly store: StoreEventsUseCase,
  ) {
    super(context, 'event-store', {
      group: 'store',
      topics: STORED_TOPICS,
      partitionsConsumedConcurrently: 3,
      // Gather events for up to 100 ms: one insert of many costs far less than many
      // inserts, and takes CPU away from the steps of running workflows less often.
      minBytes: 256 * 1024,
      maxWaitTimeInMs: 100,
      // Outside producers do not speak Baton's envelope; platform services do.
      decode: (message, topic) =>
        topic === Topics.eventsIngress || ingressTopicWorkspace(topic) !== undefined
          ? decodeIngressEvent(message, topic)
          : decodePlatformEvent(message),
      handleBatch: (messages) => this.store.execute(messages),
      onError: (error, _message, attempt) => {
        const err = { message: (error as Error).message };
        if (error instanceof PermanentError)
          context.logger.warn({ err }, 'event rejected; dead-lettered');
        else context.logger.warn({ err, attempt }, 'storing events failed; will retry');
      },
    });
  }
}
