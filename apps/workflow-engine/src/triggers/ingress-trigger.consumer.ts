import { type ConsumedMessage } from '@baton/kafka';
import { ConsumerContext, TopicConsumer } from '@baton/service-kit';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { decodeIngress, INGRESS_TOPICS, readable } from '../ingress/ingress-events';
import {
  WorkflowTriggersRepository,
  type EventTriggerRow,
} from '../workflows/workflow-triggers.repository';
import { eventTriggerStart } from './event-trigger-start';
import { TriggeredRunStarter, type TriggeredStart } from './triggered-run.starter';

/** How far behind the engine's clock a producer's may be without its events being missed. */
const CLOCK_SKEW_MS = 30_000;

/**
 * The event horizon (see WorkflowTriggersRepository.eventHorizon) is read at
 * most this often; a stale one is still safe, it only skips less. The margin
 * covers a trigger whose transaction began (its `now()`) before the horizon
 * was read but committed after.
 */
const HORIZON_TTL_MS = 1_000;
const HORIZON_MARGIN_MS = 60_000;

/**
 * `trigger: <event type>`: every event on baton.events.ingress (from Kafka
 * producers and `POST /v1/events`) starts a run of each workflow of its
 * workspace whose active version has that trigger. The run's input is the
 * event's data, `${trigger}` the whole event, and its idempotency key the
 * event id, so a redelivered event starts nothing new.
 */
@Injectable()
export class IngressTriggerConsumer extends TopicConsumer {
  private horizon?: { since: number; readAt: number };

  constructor(
    context: ConsumerContext,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly triggers: WorkflowTriggersRepository,
    private readonly starter: TriggeredRunStarter,
  ) {
    super(context, 'event-triggers', {
      // Its own group: the event store and wait_for_event read the same topic independently.
      group: 'triggers',
      topics: INGRESS_TOPICS,
      // From the beginning, so that no partition's events are skipped after a restart;
      // events produced before a trigger existed are skipped by time (see onEvent).
      fromBeginning: true,
      partitionsConsumedConcurrently: 3,
      decode: decodeIngress,
      // A fetched batch starts its runs together (TriggeredRunStarter.startMany).
      handleBatch: (messages) => this.onEvents(messages),
    });
  }

  private async onEvents(messages: ConsumedMessage[]): Promise<void> {
    // A backlog (a new engine group, a long outage) predates every trigger: skip it
    // without a query per event.
    const horizon = await this.eventHorizon();
    const targetsOf = new Map<string, Promise<EventTriggerRow[]>>();
    const starts: TriggeredStart[] = [];
    for (const { envelope: event, timestamp, traceparent } of readable(messages)) {
      const producedAt = Number(timestamp);
      if (producedAt > 0 && producedAt < horizon - CLOCK_SKEW_MS - HORIZON_MARGIN_MS) continue;
      const key = `${event.workspaceid}\u0000${event.type}`;
      if (!targetsOf.has(key))
        targetsOf.set(key, this.triggers.forEvent(event.workspaceid, event.type));
      for (const target of await targetsOf.get(key)!) {
        // A trigger starts runs for events produced after it was set up (with a margin
        // for producers' clocks), never for the topic's history.
        if (producedAt > 0 && producedAt < target.active_since.getTime() - CLOCK_SKEW_MS) continue;
        starts.push({
          workspaceId: event.workspaceid,
          workflow: target.workflow,
          ...eventTriggerStart(event),
          cause: event,
          traceparent,
        });
      }
    }
    if (starts.length === 0) return;
    await this.starter.startMany(starts);
    this.logger.debug({ runs: starts.length }, 'event triggers');
  }

  private async eventHorizon(): Promise<number> {
    const now = Date.now();
    if (!this.horizon || now - this.horizon.readAt > HORIZON_TTL_MS) {
      this.horizon = { since: (await this.triggers.eventHorizon()).getTime(), readAt: now };
    }
    return this.horizon.since;
  }
}
