import { MessageConsumer, type BatonKafka, type ConsumedMessage } from '@baton/kafka';
import { eventually, kafka as testKafka } from './support/platform';
import { uniqueName } from './support/scripted-server';
import { connectedBatonKafka, ping } from './support/test-messages';

/**
 * MessageConsumer commits finished offsets once per interval, not once per
 * fetched batch (kafkajs' auto-commit would): checked on the real broker
 * through the group's committed offsets. Nothing finished is left
 * uncommitted when the consumer stops or goes idle, and nothing unfinished
 * is ever committed.
 */
describe('consumer offset commits: once per interval, and all of it at stop', () => {
  const topics: string[] = [];
  let topic: string; // one per test, so that no test reads another's messages
  const admin = testKafka('commits-admin').admin();
  let batonKafka: BatonKafka;

  beforeAll(async () => {
    batonKafka = await connectedBatonKafka('commits-test');
    await admin.connect();
  });

  beforeEach(async () => {
    topic = uniqueName('baton.test.commits');
    topics.push(topic);
    await batonKafka.ensureTopics([{ topic, partitions: 1 }]);
  });

  afterAll(async () => {
    await batonKafka.deleteTopics(topics).catch(() => undefined);
    await batonKafka.disconnect();
    await admin.disconnect();
  });

  const publish = (n: number) => batonKafka.publish([ping(topic, n)]);

  const committed = async (groupId: string): Promise<number> => {
    const [{ partitions }] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return Number(partitions[0].offset);
  };

  /** A consumer that records every message it handles; `gate` may hold one back. */
  const consumerOf = (
    groupId: string,
    commitIntervalMs: number,
    gate?: (n: number) => Promise<void>,
  ) => {
    const seen: number[] = [];
    const consumer = new MessageConsumer(batonKafka, {
      groupId,
      topics: [topic],
      dlqTopic: `${topic}.dlq`,
      commitIntervalMs,
      handle: async (message: ConsumedMessage) => {
        const { n } = message.envelope.data as { n: number };
        await gate?.(n);
        seen.push(n);
      },
    });
    return { consumer, seen };
  };

  it('sends no commit before the interval, then everything finished at stop', async () => {
    const groupId = uniqueName('commits-at-stop');
    const { consumer, seen } = consumerOf(groupId, 60_000);
    await consumer.start();
    await eventually(async () => (consumer.isJoined ? true : undefined));
    for (let n = 0; n < 20; n++) {
      await publish(n);
      await eventually(async () => (seen.length === n + 1 ? true : undefined));
    }
    // Twenty batches of one message each: kafkajs' auto-commit would have committed twenty times.
    expect(await committed(groupId)).toBe(-1);
    await consumer.stop();
    expect(await committed(groupId)).toBe(20);

    // The group resumes after what it finished: nothing is delivered twice.
    const again = consumerOf(groupId, 60_000);
    await again.consumer.start();
    await publish(20);
    await eventually(async () => (again.seen.length > 0 ? true : undefined));
    await again.consumer.stop();
    expect(again.seen).toEqual([20]);
  });

  it('commits what it finished while idle, and never what is still running', async () => {
    const groupId = uniqueName('commits-idle');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const { consumer, seen } = consumerOf(groupId, 300, (n) =>
      n === 3 ? held : Promise.resolve(),
    );
    await consumer.start();
    await eventually(async () => (consumer.isJoined ? true : undefined));
    for (let n = 0; n < 3; n++) await publish(n);
    await eventually(async () => ((await committed(groupId)) === 3 ? true : undefined), 10_000);
    expect(seen).toEqual([0, 1, 2]);

    await publish(3); // its handler is held
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await committed(groupId)).toBe(3);
    release();
    await eventually(async () => ((await committed(groupId)) === 4 ? true : undefined), 10_000);
    await consumer.stop();
  });
});
