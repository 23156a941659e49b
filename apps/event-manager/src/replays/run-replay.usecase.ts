import { BatonKafka } from '@baton/kafka';
import { Inject, Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { deliveredCloudEvent, structuredReplay, topicMessage } from '../routing/delivery-payload';
import { DeliveryWakeup } from '../routing/delivery-wakeup';
import { EventRouter, type RoutableEvent } from '../routing/event-router';
import type { ReplayEntity } from './replay.entity';
import { ReplaysRepository, type ReplayedEvent } from './replays.repository';

/** Events of store order read per page (a window of `seq`). */
const PAGE_SIZE = 5_000;
const LEASE_MS = 60_000;
/** Consecutive failed slices after which a replay is marked failed with the last error. */
const MAX_FAILURES = 10;

const replayed = new Counter({
  name: 'baton_event_replayed_total',
  help: 'Events replayed, by target kind',
  labelNames: ['target'],
});

const pageSeconds = new Histogram({
  name: 'baton_event_replay_page_seconds',
  help: 'Time a replay spends per page, by phase (read: waiting for the page; deliver: publishing or routing it)',
  labelNames: ['phase'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
});

class ReplayCancelled extends Error {}

/**
 * Works on one replay for a while: reads the store after the replay's cursor
 * in store order, one page at a time, and moves the cursor in Postgres with
 * each page. For subscription and original targets the page's deliveries and
 * the cursor commit together, so a restart neither skips nor repeats them; a
 * topic page is published before its cursor moves (at least once). Replays
 * only read the store: they never write events into it.
 */
@Injectable()
export class RunReplayUseCase {
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly replays: ReplaysRepository,
    private readonly router: EventRouter,
    private readonly deliveryWakeup: DeliveryWakeup,
    @Inject(BatonKafka) private readonly kafka: BatonKafka,
  ) {}

  /** Works while `keepGoing()` says so; returns false when no replay was waiting. */
  async execute(keepGoing: () => boolean): Promise<boolean> {
    const replay = await this.replays.claim(LEASE_MS);
    if (!replay) return false;
    try {
      await this.work(replay, keepGoing);
      this.failures.delete(replay.id);
    } catch (error) {
      const failures = (this.failures.get(replay.id) ?? 0) + 1;
      this.failures.set(replay.id, failures);
      if (failures >= MAX_FAILURES) {
        this.failures.delete(replay.id);
        await this.replays.finish(replay.id, 'failed', (error as Error).message.slice(0, 2000));
      } else {
        await this.replays.release(replay.id).catch(() => undefined);
      }
      throw error;
    }
    return true;
  }

  private async work(replay: ReplayEntity, keepGoing: () => boolean): Promise<void> {
    if (replay.total === null) replay.total = await this.replays.setTotal(replay);
    const started = Date.now();
    const span = Math.min(PAGE_SIZE, replay.rateLimit ?? PAGE_SIZE);
    let handled = 0;
    // The next window is read while this one is published or routed.
    let next = this.replays.page(replay, replay.cursor, span);
    try {
      while (keepGoing()) {
        const waited = pageSeconds.startTimer({ phase: 'read' });
        const { events, scannedTo } = await next;
        waited();
        if (BigInt(scannedTo) < BigInt(replay.upperSeq)) {
          next = this.replays.page(replay, scannedTo, span);
        }
        const delivering = pageSeconds.startTimer({ phase: 'deliver' });
        const running = await this.handlePage(replay, events, scannedTo);
        delivering();
        if (!running) return;
        if (BigInt(scannedTo) >= BigInt(replay.upperSeq)) {
          await this.replays.finish(replay.id, 'completed');
          return;
        }
        handled += events.length;
        if (replay.rateLimit) {
          const ahead = (handled / replay.rateLimit) * 1000 - (Date.now() - started);
          if (ahead > 0) await new Promise((resolve) => setTimeout(resolve, ahead));
        }
      }
    } finally {
      await next.catch(() => undefined);
    }
    await this.replays.release(replay.id);
  }

  /** False when the replay was cancelled meanwhile. */
  private async handlePage(
    replay: ReplayEntity,
    events: ReplayedEvent[],
    cursor: string,
  ): Promise<boolean> {
    const topic = replay.target.topic;
    if (topic !== undefined) {
      if (!replay.dryRun) {
        const format = replay.target.format ?? 'structured';
        await this.kafka.publishRawBatch(
          events.map((event) =>
            format === 'structured'
              ? structuredReplay(topic, event.envelope, event.subject ?? event.id, replay.id)
              : topicMessage(topic, format, {
                  deliveryId: `${replay.id}:${event.seq}`,
                  cloudEvent: deliveredCloudEvent(parse(event), replay.id),
                  payload: undefined,
                  transformed: false,
                  replayId: replay.id,
                  lane: event.subject ?? event.id,
                }),
          ),
        );
        replayed.inc({ target: 'topic' }, events.length);
      }
      return this.replays.advance(this.replays.manager, replay.id, {
        cursor,
        processed: events.length,
        deliveries: 0,
        published: replay.dryRun ? 0 : events.length,
        lease: LEASE_MS,
      });
    }
    try {
      const created = await this.replays.transaction(async (manager) => {
        const count = await this.router.route(
          manager,
          events.map((e) => routable(replay, e)),
          {
            replayId: replay.id,
            subscriptionId: replay.target.subscription_id,
            dryRun: replay.dryRun,
          },
        );
        const running = await this.replays.advance(manager, replay.id, {
          cursor,
          processed: events.length,
          deliveries: count,
          published: 0,
          lease: LEASE_MS,
        });
        if (!running) throw new ReplayCancelled();
        return count;
      });
      replayed.inc(
        { target: replay.target.subscription_id ? 'subscription' : 'original' },
        events.length,
      );
      if (created > 0 && !replay.dryRun) this.deliveryWakeup.wake();
      return true;
    } catch (error) {
      if (error instanceof ReplayCancelled) return false;
      throw error;
    }
  }
}

function routable(replay: ReplayEntity, event: ReplayedEvent): RoutableEvent {
  return {
    workspaceId: replay.workspaceId,
    id: event.id,
    type: event.type,
    source: event.source,
    subject: event.subject,
    cloudEvent: parse(event),
  };
}

function parse(event: ReplayedEvent): Record<string, unknown> {
  return JSON.parse(event.envelope) as Record<string, unknown>;
}
