import { type Envelope } from '@baton/contracts';
import { type ConsumedMessage } from '@baton/kafka';
import { ConsumerContext, TopicConsumer } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { decodeIngress, INGRESS_TOPICS, readable } from '../../ingress/ingress-events';
import { ResolveWaitUseCase } from './resolve-wait.usecase';
import { EarlyEventsRepository } from '../store/early-events.repository';
import { RunsRepository, type WaitProbe } from '../store/runs.repository';

/**
 * Ends wait_for_event steps (and escalations) with the events that arrive on
 * baton.events.ingress, whether a Kafka producer wrote them or `POST
 * /v1/events` did. Its own consumer group reads every event; one query per
 * fetched batch finds the waits they end.
 */
@Injectable()
export class EventWaitsConsumer extends TopicConsumer {
  constructor(
    context: ConsumerContext,
    private readonly runs: RunsRepository,
    private readonly resolve: ResolveWaitUseCase,
    private readonly earlyEvents: EarlyEventsRepository,
  ) {
    super(context, 'event-waits', {
      group: 'waits',
      topics: INGRESS_TOPICS,
      partitionsConsumedConcurrently: 3,
      decode: decodeIngress,
      handleBatch: (messages) => this.handle(messages),
    });
  }

  private async handle(messages: ConsumedMessage[]): Promise<void> {
    const events = readable(messages).map((m) => m.envelope);
    const probes = events.map(toProbe);
    const matches = await this.runs.matchWaits(probes);
    for (const match of matches) await this.resolve.execute(match, events[match.probe]);

    // Events no wait took may be for a wait not created yet: keep them a while.
    const matched = new Set(matches.map((m) => m.probe));
    const unmatched = events.filter((_, n) => !matched.has(n));
    const kept = new Set(
      await this.earlyEvents.keep(
        unmatched.map((e) => ({ ...toProbe(e), id: e.id, data: e.data })),
      ),
    );
    if (kept.size === 0) return;
    // A wait created while this batch was matched saw neither the wait nor the kept event:
    // look once more, now that both are committed.
    const late = unmatched.filter((e) => kept.has(e.id));
    for (const match of await this.runs.matchWaits(late.map(toProbe))) {
      const event = late[match.probe];
      if (await this.earlyEvents.claim(event.workspaceid, event.id)) {
        await this.resolve.execute(match, event);
      }
    }
  }
}

function toProbe(event: Envelope): WaitProbe {
  return {
    workspaceId: event.workspaceid,
    type: event.type,
    keys: [event.subject, event.correlationid].filter((k): k is string => !!k),
  };
}
