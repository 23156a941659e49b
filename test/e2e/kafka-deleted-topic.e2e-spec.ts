import { Topics } from '@baton/contracts';
import { BatonKafka, MessageConsumer } from '@baton/kafka';
import { adminSecurity, eventually, kafka as testKafka, platformState } from './support/platform';
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

/**
 * A topic deleted by hand is created again under the same name (agent-manager
 * recreates an agent's task topic within seconds). Its consumers must read
 * the new topic from its first message: kafkajs kept its old position in
 * memory and fetched from there once the topic was back, so the first
 * messages of the new topic, below that position, were never handled (a
 * task lost this way left kafka-heal's runs waiting).
 */
describe('A consumer whose topic is deleted and created again', () => {
  const topic = uniqueName('baton.test.recreated');
  const admin = testKafka('recreated-topic-admin').admin();
  // A producer that never wrote to the old topic: it sends to the new one at once.
  const producer = testKafka('recreated-topic-producer').producer();
  let batonKafka: BatonKafka;
  let consumer: MessageConsumer | undefined;
  /**
   * Resolves once the consumer has tried three times to fetch from the topic and found it gone
   * (kafkajs refreshes its metadata after each failed attempt, and logs the refusal).
   */
  let failedAttempts = 0;
  let sawTopicGone: () => void;
  const topicGone = new Promise<void>((resolve) => (sawTopicGone = resolve));

  beforeAll(async () => {
    batonKafka = new BatonKafka({
      brokers: platformState().kafkaBrokers.split(','),
      clientId: 'recreated-topic-test',
      security: adminSecurity(),
      log: (_level, message, extra) => {
        const error = (extra as { error?: string }).error ?? '';
        if (!message.includes('Response Metadata') || !error.includes('does not host')) return;
        if (++failedAttempts === 3) sawTopicGone();
      },
    });
    await batonKafka.connect();
    await Promise.all([admin.connect(), producer.connect()]);
    await batonKafka.ensureTopics([{ topic, partitions: 1 }]);
  });

  afterAll(async () => {
    await consumer?.stop();
    await batonKafka.disconnect();
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('handles every message of the new topic, from its first', async () => {
    const handled: number[] = [];
    consumer = new MessageConsumer(batonKafka, {
      groupId: uniqueName('e2e-recreated'),
      topics: [topic],
      dlqTopic: Topics.dlq('agents'),
      commitIntervalMs: 250,
      handle: async (message) => {
        handled.push((message.envelope.data as { n: number }).n);
      },
    });
    await consumer.start();
    await batonKafka.publish([1, 2, 3].map((n) => ping(topic, n)));
    await eventually(
      async () => (handled.length === 3 ? true : undefined),
      20_000,
      'the first topic read',
    );
    // Committed: the consumer's position is 3 when the topic goes.
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    await admin.deleteTopics({ topics: [topic] });
    // Back a moment later, as the reconciler brings it back: the consumer has seen its fetch
    // fail and retries it with backoff; the new messages arrive between two of its retries.
    await topicGone;
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await producer.send({
      topic,
      messages: [11, 12, 13, 14, 15].map((n) => ({
        key: 'k',
        value: JSON.stringify(ping(topic, n).envelope),
      })),
    });

    await eventually(
      async () => (handled.includes(15) ? true : undefined),
      30_000,
      'the last message of the new topic handled',
    );
    expect(handled).toEqual([1, 2, 3, 11, 12, 13, 14, 15]);
  }, 90_000);
});
