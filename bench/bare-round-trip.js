// @ts-check
'use strict';

const { Kafka, logLevel } = require('./kafkajs');

/**
 * An echo service and a requester on two single-partition topics: the least any
 * Kafka round trip can cost here, with the same client library and settings as
 * the platform's consumers (a fetch held up to 1 s, answered as soon as a
 * message arrives). It stays up between measurements, so that a benchmark can
 * alternate it with the platform and both see the same moments of a noisy
 * machine. Like the platform, it is measured warm: kafkajs' hot paths in this
 * process are optimized only after some hundred round trips.
 * @param {string[]} brokers
 * @param {{ warmUp?: number }} [options] round trips before the measured ones
 */
async function startBareLoop(brokers, { warmUp = 200 } = {}) {
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
  const echo = kafka.consumer({ groupId: `bench-echo-${Date.now()}`, maxWaitTimeInMs: 1_000 });
  const requester = kafka.consumer({
    groupId: `bench-requester-${Date.now()}`,
    maxWaitTimeInMs: 1_000,
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

  let sent = 0;
  /** @returns {Promise<number>} ms from the request's send to its reply */
  const roundTrip = async () => {
    const key = `rt-${sent++}-${Date.now()}`;
    const started = process.hrtime.bigint();
    const answered = new Promise((resolve) => waiting.set(key, () => resolve(undefined)));
    await producer.send({
      topic: topics[0],
      acks: -1,
      messages: [{ key, value: JSON.stringify({ i: sent }) }],
    });
    await answered;
    waiting.delete(key);
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  for (let i = 0; i < warmUp; i++) await roundTrip();

  return {
    /** @param {number} count */
    async measure(count) {
      const samples = [];
      for (let i = 0; i < count; i++) samples.push(await roundTrip());
      return samples;
    },
    async stop() {
      await Promise.all([echo.disconnect(), requester.disconnect(), producer.disconnect()]);
    },
  };
}

/**
 * `count` round trips in one go.
 * @param {string[]} brokers
 * @param {number} count
 */
async function bareRoundTrips(brokers, count) {
  const loop = await startBareLoop(brokers);
  try {
    return await loop.measure(count);
  } finally {
    await loop.stop();
  }
}

module.exports = { bareRoundTrips, startBareLoop };
