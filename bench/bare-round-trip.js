// @ts-check
'use strict';

const path = require('node:path');
const { spawn } = require('node:child_process');
const { Kafka, logLevel } = require('./kafkajs');

const TOPICS = { requests: 'bench.bare.requests', replies: 'bench.bare.replies' };
const FETCH = { maxWaitTimeInMs: 1_000 }; // as the platform's consumers

/**
 * The echo side of the bare loop: answers every request on the replies topic
 * with the same key and value, through an idempotent producer (acks=all), as
 * platform services and the SDK's workers do.
 * @param {import('kafkajs').Kafka} kafka
 * @returns {Promise<{ stop: () => Promise<void> }>}
 */
async function startEcho(kafka) {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const echo = kafka.consumer({ groupId: `bench-echo-${Date.now()}`, ...FETCH });
  await echo.connect();
  await echo.subscribe({ topic: TOPICS.requests, fromBeginning: false });
  await joined(echo, () =>
    echo.run({
      eachMessage: async ({ message }) => {
        await producer.send({
          topic: TOPICS.replies,
          acks: -1,
          messages: [{ key: message.key, value: message.value }],
        });
      },
    }),
  );
  return {
    stop: async () => {
      await echo.disconnect();
      await producer.disconnect();
    },
  };
}

/**
 * Runs `start` (a consumer's run()) and resolves once the consumer has joined
 * its group, so that no request is sent before anyone listens.
 * @param {import('kafkajs').Consumer} consumer
 * @param {() => Promise<void>} start
 */
async function joined(consumer, start) {
  const hasJoined = new Promise((resolve) => consumer.on(consumer.events.GROUP_JOIN, resolve));
  await start();
  await hasJoined;
}

/**
 * The echo in a process of its own, as the other end of a request/reply is in
 * practice, and as the per-step benchmark's agent is. It says `ready` on
 * stdout once its consumer has joined and stops on SIGTERM.
 * @param {string[]} brokers
 * @returns {Promise<{ stop: () => Promise<void> }>}
 */
function startEchoProcess(brokers) {
  const child = spawn(process.execPath, [path.join(__dirname, 'bare-round-trip.js')], {
    env: { ...process.env, KAFKA_BROKERS: brokers.join(',') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    const failed = (/** @type {number | null} */ code) =>
      reject(new Error(`the bare echo exited with ${code}`));
    child.once('exit', failed);
    child.stdout?.on('data', (chunk) => {
      if (!String(chunk).includes('ready')) return;
      child.off('exit', failed);
      resolve({
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}

/**
 * A requester and an echo on two single-partition topics: the least any Kafka
 * round trip can cost here, with the same client library and settings as the
 * platform's consumers (a fetch held up to 1 s, answered as soon as a message
 * arrives). The echo runs in its own process (`echo: 'process'`, the default)
 * or in the requester's (`'shared'`: one event loop serves both ends, which a
 * request/reply between two services never has). It stays up between
 * measurements, so that a benchmark can alternate it with the platform and
 * both see the same moments of a noisy machine. Like the platform, it is
 * measured warm: kafkajs' hot paths are optimized only after some hundred
 * round trips.
 * @param {string[]} brokers
 * @param {{ warmUp?: number, echo?: 'process' | 'shared' }} [options]
 */
async function startBareLoop(brokers, { warmUp = 200, echo = 'process' } = {}) {
  const kafka = new Kafka({ clientId: 'bench-bare', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const existing = await admin.listTopics();
  await admin.createTopics({
    topics: Object.values(TOPICS)
      .filter((t) => !existing.includes(t))
      .map((topic) => ({ topic, numPartitions: 1 })),
  });
  await admin.disconnect();
  const echoSide = echo === 'process' ? await startEchoProcess(brokers) : await startEcho(kafka);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const requester = kafka.consumer({ groupId: `bench-requester-${Date.now()}`, ...FETCH });
  /** @type {Map<string, () => void>} */
  const waiting = new Map();
  await requester.connect();
  await requester.subscribe({ topic: TOPICS.replies, fromBeginning: false });
  await joined(requester, () =>
    requester.run({
      eachMessage: async ({ message }) => {
        waiting.get(String(message.key))?.();
      },
    }),
  );
  // Joined is not yet positioned: a request sent before both ends fetched their
  // latest offsets would be skipped.
  await new Promise((resolve) => setTimeout(resolve, 3000));

  let sent = 0;
  /** @returns {Promise<number>} ms from the request's send to its reply */
  const roundTrip = async () => {
    const key = `rt-${sent++}-${Date.now()}`;
    const started = process.hrtime.bigint();
    const answered = new Promise((resolve) => waiting.set(key, () => resolve(undefined)));
    await producer.send({
      topic: TOPICS.requests,
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
      await Promise.all([requester.disconnect(), producer.disconnect(), echoSide.stop()]);
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

if (require.main === module) {
  // The echo process (startEchoProcess).
  const kafka = new Kafka({
    clientId: 'bench-bare-echo',
    brokers: String(process.env.KAFKA_BROKERS).split(','),
    logLevel: logLevel.NOTHING,
  });
  startEcho(kafka)
    .then((echo) => {
      process.stdout.write('ready\n');
      process.once('SIGTERM', () => {
        echo.stop().finally(() => process.exit(0));
      });
    })
    .catch((error) => {
      process.stderr.write(`bare echo failed: ${error.stack ?? error}\n`);
      process.exit(1);
    });
}

module.exports = { bareRoundTrips, startBareLoop };
