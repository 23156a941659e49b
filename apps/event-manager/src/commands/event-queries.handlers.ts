import {
  DomainError,
  EventIdQuery,
  EventSourcesQuery,
  FollowEventsQuery,
  ListEventsQuery,
  MessageTypes,
  type EventMatchView,
  type StoredEventView,
} from '@baton/contracts';
import type { CommandRegistry } from '@baton/kafka';
import { CommandHandlers } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { DeliveriesRepository } from '../routing/deliveries.repository';
import { EventsRepository } from '../event-store/events.repository';
import { EventSourcesUseCase } from '../events/event-sources.usecase';
import { FollowEventsUseCase } from '../events/follow-events.usecase';
import { ListEventsUseCase } from '../events/list-events.usecase';
import { toStoredEventView } from '../events/stored-event.view';
import { toEventDeliveryView } from '../subscriptions/subscription.view';

/**
 * The stored events' queries (`GET /v1/events`, one event with what it matched,
 * following); always scoped to the request's workspace. The other features
 * answer their own commands (`*.handlers.ts` next to them).
 */
@Injectable()
export class EventQueriesHandlers extends CommandHandlers {
  constructor(
    private readonly listEvents: ListEventsUseCase,
    private readonly followEvents: FollowEventsUseCase,
    private readonly eventSources: EventSourcesUseCase,
    private readonly events: EventsRepository,
    private readonly deliveries: DeliveriesRepository,
  ) {
    super();
  }

  register(commands: CommandRegistry): void {
    commands
      .handle(MessageTypes.eventList, ListEventsQuery, (query, envelope) =>
        this.listEvents.execute(query, envelope.workspaceid),
      )
      .handle(MessageTypes.eventGet, EventIdQuery, (query, envelope) =>
        this.getEvent(envelope.workspaceid, query.id),
      )
      .handle(MessageTypes.eventFollow, FollowEventsQuery, (query, envelope) =>
        this.followEvents.execute(query, envelope.workspaceid),
      )
      // Asked by workflow-engine (shadow runs over stored events), not by the gateway.
      .handle(MessageTypes.eventShadowSources, EventSourcesQuery, (query, envelope) =>
        this.eventSources.execute(query, envelope.workspaceid),
      );
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
