#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * Latency of `POST /v1/agents/{name}/invoke` through the gateway at a fixed
 * request rate (open loop: requests start on schedule whether or not earlier
 * ones answered), for a no-op worker agent (gateway → agent-manager → Kafka →
 * AgentWorker → results → agent-manager → gateway) and a no-op rules agent
 * (run inside agent-manager), against a bare kafkajs request/reply round trip.
 * Usage: npm run build && node bench/invoke-latency.js
 */
const fs = require('node:fs');
const path = require('node:path');
const { bareRoundTrips } = require('./bare-round-trip');
const { startBenchPlatform } = require('./bench-platform');
const { summarize, machine, runMain } = require('./stats');

const ROOT = path.resolve(__dirname, '..');
const RATE = Number(process.env.BENCH_RATE ?? 50); // invokes per second
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUND_TRIPS = Number(process.env.BENCH_ROUND_TRIPS ?? 300);
const log = (/** @type {string} */ line) => process.stderr.write(`${line}\n`);

async function main() {
  const platform = await startBenchPlatform({ log });
  const { OrchestratePlatform, AgentWorker } = require(path.join(ROOT, 'dist/libs/sdk/src'));
  const brokers = platform.infra.kafkaBrokers.split(',');
  const suffix = Date.now().toString(36);
  const workerAgent = `noop-worker-${suffix}`;
  const rulesAgent = `noop-rules-${suffix}`;
  let worker;
  try {
    const orchestrate = new OrchestratePlatform({
      apiKey: platform.apiKey,
      endpoint: platform.gatewayUrl,
    });
    await orchestrate.registerAgent({ name: workerAgent, type: 'worker', max_instances: 3 });
    await orchestrate.registerAgent({
      name: rulesAgent,
      type: 'rules',
      config: { rules: [], default: { ok: true } },
    });
    worker = new AgentWorker({
      agent: workerAgent,
      handler: (/** @type {unknown} */ i) => i,
      brokers,
    });
    await worker.start();

    const invoke = (/** @type {string} */ agent) => async () => {
      const started = process.hrtime.bigint();
      await orchestrate.invokeAgent({ agent_id: agent, input: { ping: 1 }, timeout: 10_000 });
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    log('warming up…');
    for (let i = 0; i < 20; i++) await invoke(workerAgent)();
    for (let i = 0; i < 20; i++) await invoke(rulesAgent)();

    log(`worker agent: ${RATE}/s for ${SECONDS} s…`);
    const workerLatency = await openLoop(invoke(workerAgent), RATE, SECONDS);
    log(`rules agent: ${RATE}/s for ${SECONDS} s…`);
    const rulesLatency = await openLoop(invoke(rulesAgent), RATE, SECONDS);
    log(`${ROUND_TRIPS} bare kafkajs request/reply round trips…`);
    const roundTrip = await bareRoundTrips(brokers, ROUND_TRIPS);

    const result = {
      date: new Date().toISOString(),
      machine: machine(),
      rate_per_second: RATE,
      seconds: SECONDS,
      invoke_worker_ms: summarize(workerLatency),
      invoke_rules_ms: summarize(rulesLatency),
      bare_round_trip_ms: summarize(roundTrip),
    };
    fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
    fs.writeFileSync(
      path.join(__dirname, 'results', 'invoke-latency.json'),
      JSON.stringify(result, null, 2),
    );
    const line = (/** @type {ReturnType<typeof summarize>} */ s) =>
      `p50 ${s.p50} ms   p99 ${s.p99} ms   mean ${s.mean} ms   (n ${s.n})`;
    process.stdout.write(`
invoke latency through the gateway at ${RATE}/s for ${SECONDS} s
  no-op worker agent   ${line(result.invoke_worker_ms)}
  no-op rules agent    ${line(result.invoke_rules_ms)}
  bare kafkajs round trip ${line(result.bare_round_trip_ms)}
`);
  } finally {
    await worker?.stop();
    await platform.stop();
  }
}

/**
 * Starts `call` RATE times a second for SECONDS, without waiting for answers.
 * @param {() => Promise<number>} call
 * @param {number} rate
 * @param {number} seconds
 */
async function openLoop(call, rate, seconds) {
  const total = rate * seconds;
  const interval = 1000 / rate;
  const start = Date.now();
  /** @type {Promise<number>[]} */
  const pending = [];
  for (let i = 0; i < total; i++) {
    const due = start + i * interval;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(call());
  }
  return Promise.all(pending);
}

runMain(main);
