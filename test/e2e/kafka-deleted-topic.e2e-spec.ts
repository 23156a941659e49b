import type { BatonKafka } from '@baton/kafka';
import { eventually, kafka as testKafka } from './support/platform';
import { uniqueName } from './support/scripted-server';
import { connectedBatonKafka, ping } from './support/test-messages';
import { TopicCollector } from './support/topic-collector';

/**
 * An operator deletes a topic that a service once wrote to (an old agent's
 * task topic, say). kafkajs asks the broker for every topic its producer ever
 * wrote to whenever it meets a new one, and fails the whole refresh when one
 * is gone: every later send to a new topic (a new agent's tasks) failed.
 * BatonKafka must go on sending to the topics that exist, and still refuse
 * a send to the deleted one.
 */
describe('BatonKafka after a topic it wrote to was deleted', () => {
  const kept = uniqueName('baton.test.kept');
  const deleted = uniqueName('baton.test.deleted');
  const fresh = uniqueName('baton.test.fresh');
  const admin = testKafka('deleted-topic-admin').admin();
  let batonKafka: BatonKafka;
  let collector: TopicCollector | undefined;

  beforeAll(async () => {
    batonKafka = await connectedBatonKafka('deleted-topic-test');
    await admin.connect();
    await batonKafka.ensureTopics([
      { topic: kept, partitions: 1 },
      { topic: deleted, partitions: 1 },
    ]);
  });

  afterAll(async () => {
    await collector?.stop();
    await batonKafka.disconnect();
    await admin.disconnect();
  });

  const send = (topic: string, n: number) => batonKafka.publish([ping(topic, n)]);

  it('sends to a topic it has not written to before, and refuses the deleted one', async () => {
    await send(kept, 1);
    await send(deleted, 1);
    // Deleted behind BatonKafka's back, by another client; then a topic appears.
    await admin.deleteTopics({ topics: [deleted] });
    await admin.createTopics({
      topics: [{ topic: fresh, numPartitions: 1 }],
      waitForLeaders: true,
    });
    const onFresh = await new TopicCollector(fresh).start();
    collector = onFresh;

    await send(fresh, 1);
    await send(kept, 2);
    await send(fresh, 2);
    await expect(send(deleted, 2)).rejects.toThrow();

    const sent = await eventually(
      async () =>
        onFresh.messages.length >= 2 ? onFresh.json<{ data: { n: number } }>() : undefined,
      10_000,
      'both messages on the new topic',
    );
    expect(sent.map((m) => m.data.n)).toEqual([1, 2]);
  }, 90_000);
});
