import {
  DomainError,
  EventIdQuery,
  FollowEventsQuery,
  ListEventsQuery,
  MessageTypes,
  type EventMatchView,
  type StoredEventView,
} from '@baton/contracts';
import { ServiceCommandServer } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { AlertCommandsHandlers } from '../alerts/alert-commands.handlers';
import { MetricsSummaryHandler } from '../alerts/metrics-summary.handler';
import { DeliveriesRepository } from '../deliveries/deliveries.repository';
import { ChannelCommandsHandlers } from '../notifications/channel-commands.handlers';
import { EventsRepository } from '../events/events.repository';
import { FollowEventsUseCase } from '../events/follow-events.usecase';
import { ListEventsUseCase } from '../events/list-events.usecase';
import { toStoredEventView } from '../events/stored-event.view';
import { ReplayCommandsHandlers } from '../replays/replay-commands.handlers';
import { RetentionCommandsHandlers } from '../retention/retention-commands.handlers';
import { RouteCommandsHandlers } from '../routes/route-commands.handlers';
import { SubscriptionCommandsHandlers } from '../subscriptions/subscription-commands.handlers';
import { toEventDeliveryView } from '../subscriptions/subscription.view';
import { TransformCommandsHandlers } from '../transforms/transform-commands.handlers';

/** The Kafka transport of every event-manager command and query; always scoped to the request's workspace. */
@Injectable()
export class EventCommandsConsumer {
  constructor(
    commands: ServiceCommandServer,
    private readonly listEvents: ListEventsUseCase,
    private readonly followEvents: FollowEventsUseCase,
    private readonly events: EventsRepository,
    private readonly deliveries: DeliveriesRepository,
    subscriptions: SubscriptionCommandsHandlers,
    transforms: TransformCommandsHandlers,
    routes: RouteCommandsHandlers,
    replays: ReplayCommandsHandlers,
    retention: RetentionCommandsHandlers,
    alerts: AlertCommandsHandlers,
    channels: ChannelCommandsHandlers,
    summary: MetricsSummaryHandler,
  ) {
    commands
      .handle(MessageTypes.eventList, ListEventsQuery, (query, envelope) =>
        this.listEvents.execute(query, envelope.workspaceid),
      )
      .handle(MessageTypes.eventGet, EventIdQuery, (query, envelope) =>
        this.getEvent(envelope.workspaceid, query.id),
      )
      .handle(MessageTypes.eventFollow, FollowEventsQuery, (query, envelope) =>
        this.followEvents.execute(query, envelope.workspaceid),
      );
    for (const handlers of [
      subscriptions,
      transforms,
      routes,
      replays,
      retention,
      alerts,
      channels,
      summary,
    ]) {
      handlers.register(commands);
    }
  }

  /** The event with what it matched when it was stored and how each delivery went. */
  private async getEvent(workspaceId: string, id: string): Promise<StoredEventView> {
    const event = await this.events.find(workspaceId, id);
    if (!event) throw DomainError.notFound('event', id);
    const matched: EventMatchView[] = (await this.deliveries.matchesOf(workspaceId, id)).map(
      (row) => {
        const { event_id: _event, replay_id: _replay, ...delivery } = toEventDeliveryView(row);
        return {
          kind: row.subscription_id ? 'subscription' : 'route',
          id: row.subscription_id ?? row.route_id ?? '',
          name: row.name,
          destination: row.destination,
          delivery,
        };
      },
    );
    return { ...toStoredEventView(event), matched };
  }
}
