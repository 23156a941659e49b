import type { StoredEventView, SubscriptionView } from '@baton/contracts';
import { randomUUID } from 'node:crypto';
import { api, eventually, kafka } from './support/platform';
import { killService, restartService } from './support/service-control';
import { TopicCollector } from './support/topic-collector';

const BURST = Number(process.env.E2E_BURST_EVENTS ?? 50_000);

/**
 * `kill -9` of event-manager in the middle of a burst: Kafka offsets are
 * committed only after the store's transaction, and the store inserts with
 * ON CONFLICT DO NOTHING, so after a restart every event is stored exactly
 * once and every delivery still goes out (at least once).
 */
describe('event-manager killed with SIGKILL during a burst', () => {
  const run = randomUUID().slice(0, 8);
  const type = `e2e${run}.burst.tick`;
  const topic = `e2e.burst.${run}`;
  let collector: TopicCollector;

  afterAll(async () => {
    await collector?.stop();
  });

  it(`stores each of ${BURST} events once and delivers them all after a restart`, async () => {
    const sub = await api<SubscriptionView>('POST', '/v1/subscriptions', {
      body: { topic, format: 'json', events: [type] },
    });
    expect(sub.status).toBe(201);
    collector = await new TopicCollector(topic).start();

    const ids: string[] = [];
    const producer = kafka('e2e-burst-producer').producer();
    await producer.connect();
    const send = async (from: number, to: number) => {
      for (let i = from; i < to; i += 500) {
        const messages = [];
        for (let j = i; j < Math.min(to, i + 500); j++) {
          const id = randomUUID();
          ids.push(id);
          messages.push({
            key: `s-${j % 100}`,
            value: JSON.stringify({
              specversion: '1.0',
              id,
              type,
              source: 'burst',
              subject: `s-${j % 100}`,
              workspaceid: 'default',
              data: { n: j },
            }),
          });
        }
        await producer.send({ topic: 'baton.events.ingress', messages });
      }
    };

    await send(0, BURST / 2);
    // Kill it once it is visibly in the middle of storing and delivering the burst.
    await eventually(async () => {
      const status = (await api<SubscriptionView>('GET', `/v1/subscriptions/${sub.body.id}`)).body;
      return status.delivery.lag + status.delivery.delivered > BURST / 10 ? true : undefined;
    }, 60_000);
    await killService('event-manager');
    await send(BURST / 2, BURST);
    await producer.disconnect();
    await restartService('event-manager');

    const stored = await eventually(
      async () => {
        const all = await storedEvents(type);
        return all.length >= BURST ? all : undefined;
      },
      240_000,
      `${BURST} stored events`,
    );
    expect(stored).toHaveLength(BURST);
    expect(new Set(stored.map((e) => e.id)).size).toBe(BURST);
    expect(new Set(stored.map((e) => e.id))).toEqual(new Set(ids));

    const delivered = await eventually(
      async () => {
        const seen = new Set(collector.messages.map((m) => m.headers['baton-event-id']));
        return seen.size >= BURST ? seen : undefined;
      },
      240_000,
      'every event delivered to the topic',
    );
    expect(delivered).toEqual(new Set(ids));
    const status = (await api<SubscriptionView>('GET', `/v1/subscriptions/${sub.body.id}`)).body;
    expect(status.delivery.dead_lettered).toBe(0);

    // A replay of the whole burst reads the store page by page, in arrival order.
    const replayTopic = `e2e.burst-replayed.${run}`;
    const replay = await api<{ id: string }>('POST', '/v1/replays', {
      body: { filter: { types: [type] }, target: { topic: replayTopic, format: 'json' } },
    });
    expect(replay.status).toBe(202);
    const replayed = await new TopicCollector(replayTopic).start();
    try {
      const seen = await eventually(
        async () => {
          const ids = new Set(replayed.messages.map((m) => m.headers['baton-event-id']));
          return ids.size >= BURST ? ids : undefined;
        },
        240_000,
        'the replayed burst',
      );
      expect(seen).toEqual(new Set(ids));
      const view = await eventually(async () => {
        const current = await api<{ status: string; processed: number }>(
          'GET',
          `/v1/replays/${replay.body.id}`,
        );
        return current.body.status === 'running' ? undefined : current.body;
      });
      expect(view).toMatchObject({ status: 'completed', processed: BURST });
    } finally {
      await replayed.stop();
    }
    expect(await storedEvents(type)).toHaveLength(BURST);
    process.stderr.write(
      `burst of ${BURST}: stored ${stored.length} once each; ${collector.messages.length} deliveries for ${delivered.size} events (at least once)\n`,
    );
  }, 600_000);
});

/** Every stored event of a type, through the paginated API. */
async function storedEvents(eventType: string): Promise<StoredEventView[]> {
  const all: StoredEventView[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `/v1/events?type=${eventType}&limit=500${cursor ? `&cursor=${cursor}` : ''}`;
    const page = await api<{ items: StoredEventView[]; next_cursor: string | null }>('GET', query);
    all.push(...page.body.items);
    cursor = page.body.next_cursor;
  } while (cursor);
  return all;
}
