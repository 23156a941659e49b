#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * The event store's speed (issue 5), each figure next to a baseline measured
 * in the same run:
 *
 * 1. ingest: BENCH_EVENTS CloudEvents are produced to baton.events.ingress
 *    while event-manager is down; then it starts and stores them. Rate from
 *    the first to the last stored batch (received_at), against a bare kafkajs
 *    consumer reading the same messages of the same topic.
 * 2. replay: those events replayed to a fresh topic (POST /v1/replays),
 *    server-side created → finished, against a bare kafkajs consumer of that topic.
 * 3. query: GET /v1/events with a type (exact, and a pattern) and a two-day
 *    range, through the gateway, over a table topped up to BENCH_QUERY_ROWS rows.
 *
 * Usage: npm run build && node bench/event-ingest.js
 */
const fs = require('node:fs');
const path = require('node:path');
const { randomUUID } = require('node:crypto');
const { Kafka, logLevel, CompressionTypes } = require('./kafkajs');
const { Client } = require('pg');
const { startBenchPlatform } = require('./bench-platform');
const { metricsPortOf } = require('../scripts/platform/services');
const { summarize, machine, runMain } = require('./stats');

const EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const QUERY_ROWS = Number(process.env.BENCH_QUERY_ROWS ?? 1_000_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 100);
const INGRESS = 'baton.events.ingress';
const log = (/** @type {string} */ line) => process.stderr.write(`${line}\n`);
const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const platform = await startBenchPlatform({ log, skip: ['event-manager'] });
  // An interrupted bench must not leave six services behind.
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
    process.once(signal, () => void platform.stop().finally(() => process.exit(130)));
  }
  const brokers = platform.infra.kafkaBrokers.split(',');
  const kafka = new Kafka({ clientId: 'bench-events', brokers, logLevel: logLevel.NOTHING });
  const db = new Client({ connectionString: platform.databaseUrl });
  await db.connect();
  const run = randomUUID().slice(0, 8);
  const type = `bench.ingest.r${run}`;
  try {
    log(`producing ${EVENTS} events to ${INGRESS} (event-manager down)…`);
    const start = await topicEnd(kafka, INGRESS);
    const produced = await produceEvents(kafka, type, EVENTS);
    log(`  bare kafkajs producer: ${produced} events/s`);

    log('bare kafkajs consumer over the same messages…');
    const rawIngest = await rawConsume(kafka, INGRESS, start, EVENTS);
    log(`  bare kafkajs consumer: ${rawIngest} events/s`);

    log('starting event-manager and timing the store…');
    await platform.startLater('event-manager');
    const ingest = await waitStored(db, type, EVENTS);
    log(`  stored: ${ingest.rate} events/s`);

    log('replaying them to a topic…');
    const replayTopic = `bench.replayed.r${run}`;
    const replay = await timedReplay(platform, type, replayTopic);
    log(`  replayed: ${replay} events/s (${await replayPhases(platform)})`);
    log('bare kafkajs consumer over the replayed topic…');
    const rawReplay = await rawConsume(kafka, replayTopic, null, EVENTS);
    log(`  bare kafkajs consumer: ${rawReplay} events/s`);

    // BENCH_QUERY_ROWS=0 skips the query figure (a quicker run).
    const empty = { n: 0, mean: 0, p50: 0, p99: 0, min: 0, max: 0 };
    let rows = 0;
    let queries = { exact: empty, pattern: empty };
    if (QUERY_ROWS > 0) {
      log(`topping the store up to ${QUERY_ROWS} rows and timing queries…`);
      rows = await topUp(db, QUERY_ROWS);
      queries = await timeQueries(platform);
    }

    const result = {
      date: new Date().toISOString(),
      machine: machine(),
      events: EVENTS,
      ingest_events_per_s: ingest.rate,
      ingest_wall_s: ingest.wallSeconds,
      raw_kafkajs_consume_events_per_s: rawIngest,
      raw_kafkajs_produce_events_per_s: produced,
      ingest_goal_events_per_s: 20_000,
      replay_events_per_s: replay,
      raw_kafkajs_consume_replayed_events_per_s: rawReplay,
      replay_goal_events_per_s: 20_000,
      query_table_rows: rows,
      query_exact_type_ms: queries.exact,
      query_type_pattern_ms: queries.pattern,
    };
    fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
    fs.writeFileSync(
      path.join(__dirname, 'results', 'event-ingest.json'),
      JSON.stringify(result, null, 2),
    );
    process.stdout.write(`
event store (${EVENTS} events)
  ingest, baton.events.ingress → store   ${ingest.rate} events/s   (goal >= 20000; ${ingest.wallSeconds} s from service ready)
    bare kafkajs consume, same messages  ${rawIngest} events/s
    bare kafkajs produce (8 in flight)   ${produced} events/s
  replay, store → topic                  ${replay} events/s   (goal >= 20000)
    bare kafkajs consume, replayed topic ${rawReplay} events/s
query, type + 2-day range, via the gateway (${rows} rows, ${QUERIES} queries)
  exact type     mean ${queries.exact.mean} ms   p50 ${queries.exact.p50} ms   p99 ${queries.exact.p99} ms
  type pattern   mean ${queries.pattern.mean} ms   p50 ${queries.pattern.p50} ms   p99 ${queries.pattern.p99} ms
`);
  } finally {
    await db.end();
    await platform.stop();
  }
}

/** The next offset of every partition: what a reader of "from now on" starts at. */
async function topicEnd(kafka, topic) {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  return offsets.map((o) => ({ partition: o.partition, offset: o.high }));
}

/** Returns the producer's own rate, events/s. */
async function produceEvents(kafka, type, count) {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const started = Date.now();
  const batch = 1_000;
  const inFlight = [];
  for (let i = 0; i < count; i += batch) {
    const messages = [];
    for (let j = i; j < Math.min(count, i + batch); j++) {
      const subject = `order-${j % 5_000}`;
      messages.push({
        key: subject,
        value: JSON.stringify({
          specversion: '1.0',
          id: randomUUID(),
          type,
          source: 'https://shop.example.com/bench',
          subject,
          time: new Date().toISOString(),
          workspaceid: 'default',
          datacontenttype: 'application/json',
          data: {
            order_id: subject,
            seq: j,
            total: (j % 997) / 10,
            currency: 'EUR',
            lines: [{ sku: 'A-1', qty: 2 }],
          },
        }),
      });
    }
    inFlight.push(
      producer.send({ topic: INGRESS, acks: -1, compression: CompressionTypes.None, messages }),
    );
    if (inFlight.length >= 8) await Promise.all(inFlight.splice(0));
  }
  await Promise.all(inFlight);
  const rate = Math.round(count / ((Date.now() - started) / 1000));
  await producer.disconnect();
  return rate;
}

/**
 * A consumer that only counts: the most any kafkajs reader of this topic can do
 * here. Starts at `start` (per partition) or the beginning; events/s from the
 * first fetched batch to the `count`-th message.
 */
async function rawConsume(kafka, topic, start, count) {
  const consumer = kafka.consumer({ groupId: `bench-raw-${randomUUID()}`, maxWaitTimeInMs: 100 });
  let seen = 0;
  let first = 0;
  let last = 0;
  /** @type {() => void} */
  let done = () => undefined;
  const finished = new Promise((resolve) => (done = () => resolve(undefined)));
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      if (first === 0) first = Date.now();
      seen += batch.messages.length;
      if (seen >= count && last === 0) {
        last = Date.now();
        done();
      }
    },
  });
  if (start)
    for (const p of start) consumer.seek({ topic, partition: p.partition, offset: p.offset });
  await finished;
  await consumer.disconnect();
  return Math.round(count / ((last - first) / 1000));
}

async function waitStored(db, type, count) {
  const started = Date.now();
  for (;;) {
    const { rows } = await db.query(
      `SELECT count(*)::int AS n, extract(epoch FROM max(received_at) - min(received_at)) AS span
         FROM event_manager.events WHERE type = $1`,
      [type],
    );
    if (rows[0].n >= count) {
      // received_at is each batch's transaction time: add the mean batch interval for the first batch.
      const span = Math.max(Number(rows[0].span), 0.001);
      return {
        rate: Math.round(count / span),
        wallSeconds: Number(((Date.now() - started) / 1000).toFixed(1)),
      };
    }
    await sleep(200);
  }
}

async function timedReplay(platform, type, topic) {
  const created = await platform.api('POST', '/v1/replays', {
    filter: { types: [type] },
    target: { topic },
  });
  for (;;) {
    const replay = await platform.api('GET', `/v1/replays/${created.id}`);
    if (replay.status === 'completed') {
      const seconds = (Date.parse(replay.finished_at) - Date.parse(replay.created_at)) / 1000;
      return Math.round(replay.published / seconds);
    }
    if (replay.status !== 'running') throw new Error(`replay ${replay.status}: ${replay.error}`);
    await sleep(200);
  }
}

/** Where replay time went, from event-manager's own metrics. */
async function replayPhases(platform) {
  const service = platform.services.find((s) => s.name === 'event-manager');
  const text = await (
    await fetch(`http://127.0.0.1:${metricsPortOf(Number(service?.port))}/metrics`)
  ).text();
  const sum = (phase, what) =>
    Number(
      new RegExp(
        `baton_event_replay_page_seconds_${what}\\{[^}]*phase="${phase}"[^}]*\\} ([0-9.e+-]+)`,
      ).exec(text)?.[1] ?? 0,
    );
  return ['read', 'deliver']
    .map((phase) => `${phase} ${sum(phase, 'sum').toFixed(1)} s over ${sum(phase, 'count')} pages`)
    .join(', ');
}

/**
 * Fills the store to `target` rows with generated events (20 types, 30 days)
 * straight through SQL: the query figure is about reading, and ingesting a
 * million events through Kafka would only repeat the ingest figure.
 */
async function topUp(db, target) {
  const { rows } = await db.query('SELECT count(*)::int AS n FROM event_manager.events');
  let missing = target - rows[0].n;
  while (missing > 0) {
    const chunk = Math.min(missing, 100_000);
    await db.query(
      `INSERT INTO event_manager.events (workspace_id, id, type, source, subject, time, correlation_id,
                                         envelope, topic, partition, "offset", received_at)
       SELECT 'default', id, type, 'bench', 'order-' || (g % 5000), t, id,
              jsonb_build_object('specversion', '1.0', 'id', id, 'type', type,
                'source', 'bench', 'time', t, 'data', jsonb_build_object('n', g)),
              'bench', 0, g, t
         FROM (SELECT g, gen_random_uuid()::text AS id, 'bench.query.type-' || (g % 20) AS type,
                      now() - random() * interval '30 days' AS t
                 FROM generate_series(1, $1) AS g) s`,
      [chunk],
    );
    missing -= chunk;
    log(`  …${target - missing} rows`);
  }
  await db.query('ANALYZE event_manager.events');
  const { rows: after } = await db.query('SELECT count(*)::int AS n FROM event_manager.events');
  return after[0].n;
}

async function timeQueries(platform) {
  const to = new Date(Date.now() - 10 * 86_400_000);
  const from = new Date(to.getTime() - 2 * 86_400_000);
  const range = `from=${from.toISOString()}&to=${to.toISOString()}&limit=50`;
  const time = async (query) => {
    const samples = [];
    for (let i = 0; i < QUERIES + 5; i++) {
      const started = process.hrtime.bigint();
      const page = await platform.api('GET', `/v1/events?${query}&${range}`);
      if (page.items.length === 0) throw new Error(`no events for ${query}`);
      if (i >= 5) samples.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    return summarize(samples);
  };
  return {
    exact: await time('type=bench.query.type-7'),
    pattern: await time('type=bench.query.*'),
  };
}

runMain(main);
