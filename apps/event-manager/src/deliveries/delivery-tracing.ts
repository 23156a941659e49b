import { startMessageSpan, withMessageSpan } from '@baton/kafka';
import type { DeliveryJob } from './delivery-jobs';

/*
 * Each delivery of an event (to a subscription's or a route's destination)
 * as a span in the trace the event was published in: a run's events
 * delivered to a webhook show in the run's trace. Ids only, never the event.
 */

function deliveryAttributes(job: DeliveryJob): Record<string, string | number> {
  const { delivery } = job;
  return {
    'baton.workspace': delivery.workspaceId,
    'baton.event_id': delivery.eventId,
    'baton.delivery.destination': job.destination.kind,
    'baton.delivery.attempt': delivery.attempts + 1,
    ...(delivery.subscriptionId ? { 'baton.subscription_id': delivery.subscriptionId } : {}),
    ...(delivery.routeId ? { 'baton.route_id': delivery.routeId } : {}),
    ...(delivery.replayId ? { 'baton.replay_id': delivery.replayId } : {}),
  };
}

function eventTraceparent(job: DeliveryJob): string | undefined {
  const traceparent = job.facts.cloudEvent.traceparent;
  return typeof traceparent === 'string' ? traceparent : undefined;
}

/** A webhook delivery: its HTTP call is the span's child. */
export function withWebhookDeliverySpan<T extends { ok: boolean }>(
  job: DeliveryJob,
  send: () => Promise<T>,
): Promise<T> {
  return withMessageSpan(
    'deliver webhook',
    { traceparent: eventTraceparent(job) },
    deliveryAttributes(job),
    async (span) => {
      const answer = await send();
      span.setAttribute('baton.delivery.outcome', answer.ok ? 'delivered' : 'failed');
      return answer;
    },
  );
}

/** A delivery through Kafka (sent with the round's batch): a span that ends when it is handed off. */
export function recordKafkaDelivery(job: DeliveryJob, topic: string, outcome: string): void {
  const span = startMessageSpan(
    `deliver ${job.destination.kind}`,
    { traceparent: eventTraceparent(job) },
    {
      ...deliveryAttributes(job),
      'messaging.system': 'kafka',
      'messaging.destination.name': topic,
      'messaging.operation.type': 'send',
      'baton.delivery.outcome': outcome,
    },
  );
  span.end();
}
