import type { Envelope } from '@baton/contracts';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import type { EntityManager } from 'typeorm';
import { DeliveriesRepository, type NewDelivery } from './deliveries.repository';
import { RoutesRepository } from './routes.repository';
import { SubscriptionsRepository } from './subscriptions.repository';
import { buildRoutingTable, channelOf, matchEvent, type RoutingTable } from './event-matcher';

/** A stored event as routing reads it. */
export interface RoutableEvent {
  workspaceId: string;
  id: string;
  type: string;
  source: string;
  subject: string | null;
  cloudEvent: Record<string, unknown>;
}

/** What the router needs of a stored envelope, whoever stored it (the store, PlatformEvents). */
export function routableEvent(envelope: Envelope): RoutableEvent {
  return {
    workspaceId: envelope.workspaceid,
    id: envelope.id,
    type: envelope.type,
    source: envelope.source,
    subject: envelope.subject ?? null,
    cloudEvent: envelope as unknown as Record<string, unknown>,
  };
}

export interface RouteOptions {
  /** Marks every delivery as part of this replay. */
  replayId?: string;
  /** Only this subscription (a replay to one subscription): routes are not consulted. */
  subscriptionId?: string;
  /** Count what would be delivered, create nothing. */
  dryRun?: boolean;
}

const matched = new Counter({
  name: 'baton_event_deliveries_created_total',
  help: 'Deliveries created for stored or replayed events',
  labelNames: ['origin'],
});

/**
 * Turns stored events into deliveries, in the caller's transaction: the event
 * store calls it in the transaction that inserts the events, so an event is
 * never stored without its deliveries (nor routed twice when redelivered).
 */
@Injectable()
export class EventRouter {
  constructor(
    private readonly subscriptions: SubscriptionsRepository,
    private readonly routes: RoutesRepository,
    private readonly deliveries: DeliveriesRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Returns how many deliveries were created. */
  async route(
    manager: EntityManager,
    events: RoutableEvent[],
    options: RouteOptions = {},
  ): Promise<number> {
    if (events.length === 0) return 0;
    const tables = await this.tablesFor(manager, events, options);
    if (tables.size === 0) return 0;
    const rows: NewDelivery[] = [];
    for (const event of events) {
      const table = tables.get(event.workspaceId);
      if (!table) continue;
      const matches = await matchEvent(table, event, (ruleId, error) =>
        this.logger.debug(
          { rule: ruleId, event: event.id, err: { message: error.message } },
          'filter failed on event',
        ),
      );
      for (const match of matches) {
        rows.push({
          workspaceId: event.workspaceId,
          channel: channelOf(match),
          subscriptionId: match.kind === 'subscription' ? match.id : null,
          routeId: match.kind === 'route' ? match.id : null,
          destination: match.kind === 'route' ? match.destination : null,
          eventId: event.id,
          lane: event.subject ?? event.id,
          replayId: options.replayId ?? null,
        });
      }
    }
    if (options.dryRun) return rows.length;
    await this.deliveries.insert(manager, rows);
    matched.inc({ origin: options.replayId ? 'replay' : 'store' }, rows.length);
    return rows.length;
  }

  private async tablesFor(
    manager: EntityManager,
    events: RoutableEvent[],
    options: RouteOptions,
  ): Promise<Map<string, RoutingTable>> {
    const workspaceIds = [...new Set(events.map((e) => e.workspaceId))];
    const subscriptions = await this.subscriptions.forWorkspaces(manager, workspaceIds);
    const wanted = options.subscriptionId
      ? subscriptions.filter((s) => s.id === options.subscriptionId)
      : subscriptions;
    const routes = options.subscriptionId
      ? []
      : await this.routes.forWorkspaces(manager, workspaceIds);
    const tables = new Map<string, RoutingTable>();
    for (const workspaceId of workspaceIds) {
      const subs = wanted.filter((s) => s.workspaceId === workspaceId);
      const rules = routes.filter((r) => r.workspaceId === workspaceId);
      if (subs.length === 0 && rules.length === 0) continue;
      tables.set(
        workspaceId,
        buildRoutingTable(
          subs.map((s) => ({ id: s.id, events: s.events, filter: s.filter })),
          rules.map((r) => ({
            id: r.id,
            name: r.name,
            position: r.position,
            events: r.events,
            source: r.source,
            filter: r.filter,
            destinations: r.destinations,
            onMatch: r.onMatch,
          })),
          (id, error) =>
            this.logger.warn(
              { rule: id, err: { message: error.message } },
              'rule does not compile; it matches nothing',
            ),
        ),
      );
    }
    return tables;
  }
}
