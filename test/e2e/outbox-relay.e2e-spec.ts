import { createEnvelope } from '@baton/contracts';
import { Client } from 'pg';
import { allowServiceToWrite, eventually, kafka, platformState } from './support/platform';
import { uniqueName } from './support/scripted-server';
import { TopicCollector } from './support/topic-collector';

/**
 * What a crash leaves in an outbox (committed, never sent) is sent by the
 * service's relay poll, in commit order, and then deleted. The rows are
 * written here straight into workflow-engine's outbox, as a transaction of
 * the engine's would have left them, with a creation time past the second
 * the writer itself has to send them.
 */
describe('outbox relay: rows a crash left unsent', () => {
  const topic = uniqueName('baton.test.outbox');
  const admin = kafka('outbox-relay-admin').admin();
  const db = new Client({ connectionString: platformState().databaseUrl });
  let collector: TopicCollector;

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    // Under ACLs the engine writes only its own topics: this one is granted to it for the test.
    await allowServiceToWrite('workflow-engine', topic);
    await db.connect();
    collector = await new TopicCollector(topic).start();
  });

  afterAll(async () => {
    await collector.stop();
    await db.end();
    // The topic stays: the engine's producer has written to it, and kafkajs asks
    // the broker for every topic a producer ever wrote to at each metadata refresh;
    // once one is gone, every later send of the engine fails.
    await admin.disconnect();
  });

  const leftByACrash = async (n: number): Promise<string> => {
    const envelope = createEnvelope({
      type: 'test.left-unsent',
      source: 'e2e',
      data: { n },
      workspaceId: 'default',
    });
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO workflow_engine.outbox (messages, created_at)
       VALUES ($1::jsonb, now() - interval '5 seconds') RETURNING id`,
      [JSON.stringify([{ topic, key: 'same-key', envelope, headers: null }])],
    );
    return rows[0].id;
  };

  it('sends them in commit order, then deletes them', async () => {
    const ids = [await leftByACrash(1), await leftByACrash(2)];

    const sent = await eventually(
      async () => {
        const messages = collector.json<{ type: string; data: { n: number } }>();
        return messages.length >= 2 ? messages : undefined;
      },
      15_000,
      'the relay to send the rows left unsent',
    );
    expect(sent.map((m) => m.data.n)).toEqual([1, 2]);
    expect(sent.every((m) => m.type === 'test.left-unsent')).toBe(true);

    await eventually(
      async () => {
        const { rows } = await db.query(
          'SELECT id FROM workflow_engine.outbox WHERE id = ANY($1::bigint[])',
          [ids],
        );
        return rows.length === 0 ? true : undefined;
      },
      10_000,
      'the sent rows to be deleted',
    );
    // Sent once: nothing more arrives after the rows are gone.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(collector.messages).toHaveLength(2);
  });
});
