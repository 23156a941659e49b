import type { EventDeliveryView, SubscriptionView } from '@baton/contracts';
import type { DeliveryRow } from '../routing/deliveries.repository';
import { toDestinationView } from '../routing/destination';
import type { SubscriptionEntity } from '../routing/subscription.entity';

export function toSubscriptionView(
  sub: SubscriptionEntity,
  lag: { lag: number; oldest: Date | null },
): SubscriptionView {
  return {
    id: sub.id,
    name: sub.name,
    events: sub.events,
    filter: sub.filter,
    destination: toDestinationView(sub.destination),
    status: sub.status,
    retry: {
      max_attempts: sub.maxAttempts,
      initial_delay_ms: sub.initialDelayMs,
      max_delay_ms: sub.maxDelayMs,
    },
    delivery: {
      lag: lag.lag,
      oldest_pending_at: lag.oldest?.toISOString() ?? null,
      last_delivery_at: sub.lastDeliveryAt?.toISOString() ?? null,
      delivered: Number(sub.deliveredCount),
      failures: Number(sub.failureCount),
      dead_lettered: Number(sub.deadCount),
      last_error: sub.lastError,
      last_error_at: sub.lastErrorAt?.toISOString() ?? null,
    },
    created_at: sub.createdAt.toISOString(),
  };
}

export function toEventDeliveryView(row: DeliveryRow): EventDeliveryView {
  return {
    id: row.id,
    event_id: row.event_id,
    status: row.status,
    attempts: row.attempts,
    last_error: row.last_error,
    replay_id: row.replay_id,
    created_at: new Date(row.created_at).toISOString(),
    delivered_at: row.delivered_at ? new Date(row.delivered_at).toISOString() : null,
    updated_at: new Date(row.updated_at).toISOString(),
  };
}
