#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * Latency of the gateway's everyday reads at a fixed rate, from autocannon
 * (npm): `GET /v1/runs/{id}` (gateway → workflow-engine → Postgres) and
 * `GET /v1/agents` (gateway → agent-manager), each at BENCH_READ_RATE
 * requests a second (default 1,000) over 50 keep-alive connections, against
 * a bare kafkajs request/reply round trip measured before and after.
 * Goal (issue 20): p99 under 20 ms at 1,000 req/s.
 * Usage: npm run build && node bench/http-reads.js
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startBareLoop } = require('./bare-round-trip');
const { startBenchPlatform } = require('./bench-platform');
const { autocannonLoad, autocannonLine } = require('./autocannon-load');
const { summarize, machine, runMain } = require('./stats');
const { measureCost, costLine } = require('./service-cost');

const ROOT = path.resolve(__dirname, '..');
const RATE = Number(process.env.BENCH_READ_RATE ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUND_TRIPS = Number(process.env.BENCH_ROUND_TRIPS ?? 300);
const GOAL_P99_MS = 20;
const log = (/** @type {string} */ line) => process.stderr.write(`${line}\n`);

async function main() {
  const platform = await startBenchPlatform({ log });
  const { OrchestratePlatform } = require(path.join(ROOT, 'dist/libs/sdk/src'));
  const brokers = platform.infra.kafkaBrokers.split(',');
  const suffix = Date.now().toString(36);
  let bare;
  try {
    const orchestrate = new OrchestratePlatform({
      apiKey: platform.apiKey,
      endpoint: platform.gatewayUrl,
    });
    // A workspace of a realistic size for the list: a page of agents.
    for (let i = 0; i < 20; i++) {
      await orchestrate.registerAgent({ name: `read-agent-${i}-${suffix}`, type: 'worker' });
    }
    const workflow = `read-bench-${suffix}`;
    await orchestrate.createWorkflow({
      name: workflow,
      steps: ['a', 'b', 'c'].map((name) => ({
        name,
        agent: `read-agent-0-${suffix}`,
        input: '${input}',
      })),
    });
    const run = await orchestrate.startRun(workflow, { n: 1 });
    bare = await startBareLoop(brokers);
    const series = [
      { label: `GET /v1/runs/{id}`, url: `${platform.gatewayUrl}/v1/runs/${run.id}` },
      { label: `GET /v1/agents`, url: `${platform.gatewayUrl}/v1/agents` },
    ];
    log('warming up…');
    for (const s of series) {
      await autocannonLoad({ url: s.url, apiKey: platform.apiKey, amount: 2000, connections: 10 });
    }
    const roundTrips = await bare.measure(ROUND_TRIPS);
    const results = [];
    for (const s of series) {
      log(`${s.label} at ${RATE}/s for ${SECONDS} s…`);
      // CPU ms and Postgres transactions per request: figures a loaded machine does not move.
      const { result: figures, cost } = await measureCost(platform, () =>
        autocannonLoad({
          url: s.url,
          apiKey: platform.apiKey,
          rate: RATE,
          seconds: SECONDS,
          connections: 50,
        }),
      );
      results.push({ label: s.label, ...figures, cost });
    }
    roundTrips.push(...(await bare.measure(ROUND_TRIPS)));
    const bareMs = summarize(roundTrips);
    const out = {
      date: new Date().toISOString(),
      machine: machine(),
      load_average: os.loadavg(),
      rate_per_second: RATE,
      seconds: SECONDS,
      results,
      bare_round_trip_ms: bareMs,
      goal_p99_ms: GOAL_P99_MS,
    };
    fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
    fs.writeFileSync(
      path.join(__dirname, 'results', 'http-reads.json'),
      JSON.stringify(out, null, 2),
    );
    let text = `\ngateway reads at ${RATE} req/s for ${SECONDS} s (goal p99 < ${GOAL_P99_MS} ms), load average ${out.load_average.map((l) => l.toFixed(1)).join(' ')}\n`;
    text += `  bare kafkajs round trip  p50 ${bareMs.p50} ms   p99 ${bareMs.p99} ms   (n ${bareMs.n})\n`;
    for (const r of results) {
      const met = r.p99 < GOAL_P99_MS && r.non2xx + r.errors + r.timeouts === 0;
      text += `  ${r.label.padEnd(18)} ${autocannonLine(r)}\n`;
      text += `    ${costLine(r.cost)}\n`;
      text += `    p50 ${(r.p50 / Math.max(bareMs.p50, 0.01)).toFixed(1)}× the bare round trip; p99 ${r.p99} ms: goal ${met ? 'met' : 'NOT met'}\n`;
    }
    process.stdout.write(text);
  } finally {
    await bare?.stop();
    await platform.stop();
  }
}

runMain(main);
