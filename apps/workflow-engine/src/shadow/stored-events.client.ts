import { MessageTypes, Topics, type Envelope, type EventSourcesView } from '@baton/contracts';
import { BatonKafka } from '@baton/kafka';
import { Readiness, ServiceRequests } from '@baton/service-kit';
import { Inject, Injectable } from '@nestjs/common';

const TIMEOUT_MS = 15_000;

/** Stored events to shadow: these ids, or the newest `limit` of a type pattern in a window. */
export type EventSelection =
  { ids: string[] } | { type: string; from?: string; to?: string; limit: number };

/**
 * Asks event-manager for stored events (`baton.event.shadow-sources`,
 * answered on baton.workflow.replies): the event store is its schema, which
 * the engine does not read. A reply carries what fits under a Kafka message;
 * the events come page by page, so a shadow run holds one page at a time.
 */
@Injectable()
export class StoredEventsClient extends ServiceRequests {
  constructor(@Inject(BatonKafka) kafka: BatonKafka, @Inject(Readiness) readiness: Readiness) {
    super(
      kafka,
      readiness,
      'event-store-replies',
      Topics.workflowReplies,
      'baton-workflow-engine-replies-',
    );
  }

  /** The selected events of the workspace, page by page; listed ids it lacks are simply absent. */
  async *pages(workspaceId: string, selection: EventSelection): AsyncGenerator<Envelope[]> {
    if ('ids' in selection) {
      let rest = selection.ids;
      while (rest.length > 0) {
        const reply = await this.ask(workspaceId, { ids: rest });
        if (reply.events.length > 0) yield reply.events;
        // No progress (nothing found, or nothing answered) ends the listing.
        if (reply.events.length === 0 || reply.rest.length >= rest.length) return;
        rest = reply.rest;
      }
      return;
    }
    let left = selection.limit;
    let after: string | undefined;
    while (left > 0) {
      const { type, from, to } = selection;
      const reply = await this.ask(workspaceId, { type, from, to, limit: left, after });
      if (reply.events.length > 0) yield reply.events;
      left -= reply.events.length;
      if (!reply.after || reply.events.length === 0) return;
      after = reply.after;
    }
  }

  private ask(workspaceId: string, query: object): Promise<EventSourcesView> {
    return this.client.request<EventSourcesView>(
      Topics.eventCommands,
      MessageTypes.eventShadowSources,
      query,
      { workspaceId, source: 'workflow-engine', timeoutMs: TIMEOUT_MS, key: workspaceId },
    );
  }
}
