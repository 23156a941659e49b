// @ts-check
'use strict';

const { Kafka, logLevel } = require('./kafkajs');

/**
 * An echo service and a requester on two single-partition topics: the least any
 * Kafka round trip can cost here, with the same client library and settings.
 * @param {string[]} brokers
 * @param {number} count
 */
async function bareRoundTrips(brokers, count) {
  const kafka = new Kafka({ clientId: 'bench-bare', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const topics = ['bench.bare.requests', 'bench.bare.replies'];
  const existing = await admin.listTopics();
  await admin.createTopics({
    topics: topics
      .filter((t) => !existing.includes(t))
      .map((topic) => ({ topic, numPartitions: 1 })),
  });
  await admin.disconnect();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const echo = kafka.consumer({ groupId: `bench-echo-${Date.now()}`, maxWaitTimeInMs: 100 });
  const requester = kafka.consumer({
    groupId: `bench-requester-${Date.now()}`,
    maxWaitTimeInMs: 100,
  });
  /** @type {Map<string, () => void>} */
  const waiting = new Map();
  await echo.connect();
  await echo.subscribe({ topic: topics[0], fromBeginning: false });
  await echo.run({
    eachMessage: async ({ message }) => {
      await producer.send({
        topic: topics[1],
        acks: -1,
        messages: [{ key: message.key, value: message.value }],
      });
    },
  });
  await requester.connect();
  await requester.subscribe({ topic: topics[1], fromBeginning: false });
  await requester.run({
    eachMessage: async ({ message }) => {
      waiting.get(String(message.key))?.();
    },
  });
  await new Promise((resolve) => setTimeout(resolve, 3000)); // both groups joined and positioned
  const samples = [];
  for (let i = 0; i < count + 20; i++) {
    const key = `rt-${i}-${Date.now()}`;
    const started = process.hrtime.bigint();
    const answered = new Promise((resolve) => waiting.set(key, () => resolve(undefined)));
    await producer.send({
      topic: topics[0],
      acks: -1,
      messages: [{ key, value: JSON.stringify({ i }) }],
    });
    await answered;
    waiting.delete(key);
    if (i >= 20) samples.push(Number(process.hrtime.bigint() - started) / 1e6); // first 20 warm up
  }
  await Promise.all([echo.disconnect(), requester.disconnect(), producer.disconnect()]);
  return samples;
}

module.exports = { bareRoundTrips };
