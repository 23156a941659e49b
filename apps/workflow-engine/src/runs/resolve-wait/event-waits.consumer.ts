import { Topics, WORKSPACE_INGRESS_TOPICS, type Envelope } from '@baton/contracts';
import {
  BatonKafka,
  decodeIngressEvent,
  type ConsumedMessage,
} from '@baton/kafka';
import { Readiness, TopicConsumer } from '@baton/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import { ResolveWaitUseCase } from './resolve-wait.usecase';
import { EarlyEventsRepository } from '../store/early-events.repository';
import { RunsRepository, type WaitProbe } from '../store/runs.repository';

/** Marks what could not be read as an event: skipped here (event-manager dead-letters it). */
const UNREADABLE = '';

/**
 * Ends wait_for_event steps (and escalations) with the events that arrive on
 * baton.events.ingress, whether a Kafka producer wrote them or `POST
 * /v1/events` did. Its own consumer group reads every event; one query per
 * fetched batch finds the waits they end.
 */
@Injectable()
export class EventWaitsConsumer extends TopicConsumer {
  constructor(
    @Inject(BatonKafka) kafka: BatonKafka,
    @Inject(Readiness) readiness: Readiness,
    private readonly runs: RunsRepository,
    private readonly resolve: ResolveWaitUseCase,
    private readonly earlyEvents: EarlyEventsRepository,
  ) {
    super(kafka, readiness, 'event-waits', {
      groupId: 'baton-workflow-engine-waits',
      // The shared topic, and the workspaces' own (whose topic names the workspace).
      topics: [Topics.eventsIngress, WORKSPACE_INGRESS_TOPICS],
      dlqTopic: Topics.dlq('workflow-engine'),
      partitionsConsumedConcurrently: 3,
      decode: (message, topic) => toEnvelope(message, topic),
      handleBatch: (messages) => this.handle(messages),
    });
  }

  private async handle(messages: ConsumedMessage[]): Promise<void> {
    const events = messages.map((m) => m.envelope).filter((e) => e.type !== UNREADABLE);
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

/** The same reading as the event store's and the triggers': a wait ends only on a stored event. */
function toEnvelope(message: Parameters<typeof decodeIngressEvent>[0], topic: string): Envelope {
  try {
    return decodeIngressEvent(message, topic);
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
