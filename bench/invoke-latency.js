#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * Latency of `POST /v1/agents/{name}/invoke` through the gateway at fixed
 * request rates (open loop: requests start on schedule whether or not earlier
 * ones answered), for a no-op worker agent (gateway → agent-manager → Kafka →
 * AgentWorker → results → agent-manager → gateway) and a no-op rules agent
 * (run inside agent-manager), against a bare kafkajs request/reply round trip
 * measured between the series (so both see the same moments of the machine).
 * The load comes from this script's own client (the SDK) and from autocannon.
 * Goals (issue 20): worker p50 ≤ 3× and p99 ≤ 6× the bare round trip's, rules
 * p50 ≤ 2× the bare p50.
 * Usage: npm run build && node bench/invoke-latency.js
 */
const fs = require('node:fs');
const path = require('node:path');
const { startBareLoop } = require('./bare-round-trip');
const { startBenchPlatform } = require('./bench-platform');
const { autocannonLoad, autocannonLine } = require('./autocannon-load');
const { summarize, machine, runMain } = require('./stats');

const ROOT = path.resolve(__dirname, '..');
/** Invokes per second; BENCH_RATE (one rate) still works. */
const RATES = (process.env.BENCH_RATES ?? process.env.BENCH_RATE ?? '50,200')
  .split(',')
  .map(Number)
  .filter((rate) => rate > 0);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUND_TRIPS = Number(process.env.BENCH_ROUND_TRIPS ?? 300);
/** `own` (the SDK, open loop), `autocannon`, or both (the default). */
const LOADS = (process.env.BENCH_LOAD ?? 'own,autocannon').split(',');
/** Tasks the no-op worker takes at once: at 200/s one at a time would queue on the worker. */
const WORKER_CONCURRENCY = Number(process.env.BENCH_WORKER_CONCURRENCY ?? 32);
const GOALS = { worker_p50: 3, worker_p99: 6, rules_p50: 2 };
const log = (/** @type {string} */ line) => process.stderr.write(`${line}\n`);

async function main() {
  const platform = await startBenchPlatform({ log });
  const { OrchestratePlatform, AgentWorker } = require(path.join(ROOT, 'dist/libs/sdk/src'));
  const brokers = platform.infra.kafkaBrokers.split(',');
  const suffix = Date.now().toString(36);
  const workerAgent = `noop-worker-${suffix}`;
  const rulesAgent = `noop-rules-${suffix}`;
  let worker;
  let bare;
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
      concurrency: WORKER_CONCURRENCY,
    });
    await worker.start();
    bare = await startBareLoop(brokers);

    /** @type {string[]} */
    const failures = [];
    const invoke = (/** @type {string} */ agent) => async () => {
      const started = process.hrtime.bigint();
      try {
        await orchestrate.invokeAgent({ agent_id: agent, input: { ping: 1 }, timeout: 10_000 });
      } catch (error) {
        failures.push(String(/** @type {Error} */ (error).message).slice(0, 200));
        return undefined;
      }
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const viaAutocannon = (/** @type {string} */ agent, /** @type {number} */ rate) =>
      autocannonLoad({
        url: `${platform.gatewayUrl}/v1/agents/${agent}/invoke`,
        method: 'POST',
        apiKey: platform.apiKey,
        body: { input: { ping: 1 }, timeout: 10_000 },
        rate,
        seconds: SECONDS,
        connections: Math.max(10, Math.ceil(rate / 2)),
      });
    log('warming up…');
    for (let i = 0; i < 50; i++) await invoke(workerAgent)();
    for (let i = 0; i < 50; i++) await invoke(rulesAgent)();

    /** @type {number[]} */
    const roundTrips = [];
    const results = [];
    for (const rate of RATES) {
      log(`${ROUND_TRIPS} bare kafkajs round trips…`);
      roundTrips.push(...(await bare.measure(ROUND_TRIPS)));
      /** @type {Record<string, unknown>} */
      const entry = { rate_per_second: rate };
      if (LOADS.includes('own')) {
        log(`own client: worker agent at ${rate}/s for ${SECONDS} s…`);
        entry.own_worker_ms = summarize(await openLoop(invoke(workerAgent), rate, SECONDS));
        log(`own client: rules agent at ${rate}/s for ${SECONDS} s…`);
        entry.own_rules_ms = summarize(await openLoop(invoke(rulesAgent), rate, SECONDS));
      }
      if (LOADS.includes('autocannon')) {
        log(`autocannon: worker agent at ${rate}/s for ${SECONDS} s…`);
        entry.autocannon_worker = await viaAutocannon(workerAgent, rate);
        log(`autocannon: rules agent at ${rate}/s for ${SECONDS} s…`);
        entry.autocannon_rules = await viaAutocannon(rulesAgent, rate);
      }
      results.push(entry);
    }
    log(`${ROUND_TRIPS} bare kafkajs round trips…`);
    roundTrips.push(...(await bare.measure(ROUND_TRIPS)));
    const bareMs = summarize(roundTrips);

    const result = {
      date: new Date().toISOString(),
      machine: machine(),
      load_average: require('node:os').loadavg(),
      seconds: SECONDS,
      worker_concurrency: WORKER_CONCURRENCY,
      results,
      bare_round_trip_ms: bareMs,
      failed_invokes: failures.length,
      first_failures: failures.slice(0, 5),
      goals: GOALS,
    };
    fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
    fs.writeFileSync(
      path.join(__dirname, 'results', 'invoke-latency.json'),
      JSON.stringify(result, null, 2),
    );
    const line = (/** @type {ReturnType<typeof summarize>} */ s) =>
      `p50 ${s.p50} ms   p99 ${s.p99} ms   mean ${s.mean} ms   (n ${s.n}; this script's client)`;
    const x = (/** @type {number} */ v, /** @type {number} */ base) =>
      `${(v / Math.max(base, 0.01)).toFixed(1)}×`;
    /** @param {{ p50: number, p99: number }} w @param {{ p50: number }} r */
    const verdict = (w, r) =>
      `worker p50 ${x(w.p50, bareMs.p50)} (goal ≤ ${GOALS.worker_p50}×), worker p99 ${x(w.p99, bareMs.p99)} (goal ≤ ${GOALS.worker_p99}×), rules p50 ${x(r.p50, bareMs.p50)} (goal ≤ ${GOALS.rules_p50}×)`;
    let out = `\ninvoke latency through the gateway, ${SECONDS} s per series, load average ${result.load_average.map((l) => l.toFixed(1)).join(' ')}\n`;
    out += `  bare kafkajs round trip  p50 ${bareMs.p50} ms   p99 ${bareMs.p99} ms   mean ${bareMs.mean} ms   (n ${bareMs.n})\n`;
    for (const r of /** @type {any[]} */ (results)) {
      out += `  at ${r.rate_per_second}/s\n`;
      if (r.own_worker_ms) {
        out += `    no-op worker agent  ${line(r.own_worker_ms)}\n`;
        out += `    no-op rules agent   ${line(r.own_rules_ms)}\n`;
        out += `    ratios: ${verdict(r.own_worker_ms, r.own_rules_ms)}\n`;
      }
      if (r.autocannon_worker) {
        out += `    no-op worker agent  ${autocannonLine(r.autocannon_worker)}\n`;
        out += `    no-op rules agent   ${autocannonLine(r.autocannon_rules)}\n`;
        out += `    ratios: ${verdict(r.autocannon_worker, r.autocannon_rules)}\n`;
      }
    }
    if (failures.length)
      out += `  ${failures.length} invokes of this script's client failed, e.g. ${failures[0]}\n`;
    process.stdout.write(out);
  } finally {
    await bare?.stop();
    await worker?.stop();
    await platform.stop();
  }
}

/**
 * Starts `call` RATE times a second for SECONDS, without waiting for answers;
 * answers the latencies of the calls that succeeded.
 * @param {() => Promise<number | undefined>} call
 * @param {number} rate
 * @param {number} seconds
 */
async function openLoop(call, rate, seconds) {
  const total = rate * seconds;
  const interval = 1000 / rate;
  const start = Date.now();
  /** @type {Promise<number | undefined>[]} */
  const pending = [];
  for (let i = 0; i < total; i++) {
    const due = start + i * interval;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(call());
  }
  return (await Promise.all(pending)).filter((ms) => ms !== undefined);
}

runMain(main);
