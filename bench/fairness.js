#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * Fairness between workspaces (issue 27): workspace A floods the platform with
 * BENCH_FLOOD_RUNS runs (default 10,000; Kafka ingress events, the fastest
 * way in), and once they are queued workspace B starts one run at a time over
 * HTTP. B's start → completed latency (client side: the HTTP start to the
 * run's `workflow.run.completed` on Kafka) is compared with the same runs of B
 * alone, measured first. Both workflows are 3 no-op worker steps, each
 * workspace with its own worker. The engine's admission limit
 * (RUN_ADMISSION_ACTIVE_RUNS_PER_WORKSPACE) is the engine's default unless
 * BENCH_ADMISSION is set (0 turns admission off: the figure without it).
 * Usage: npm run build && node bench/fairness.js
 */
const fs = require('node:fs');
const os = require('node:os');
const { randomUUID } = require('node:crypto');
const { performance } = require('node:perf_hooks');
const path = require('node:path');
const { startBenchPlatform } = require('./bench-platform');
const { watchCompletions } = require('./run-completions');
const { machine, runMain, summarize } = require('./stats');
const { startWithEvents } = require('./ingress-events');
const { Kafka, logLevel } = require('./kafkajs');

const ROOT = path.resolve(__dirname, '..');
const FLOOD_RUNS = Number(process.env.BENCH_FLOOD_RUNS ?? 10_000);
/** B's runs, one at a time, in each series. */
const B_RUNS = Number(process.env.BENCH_B_RUNS ?? 30);
/** Pause between two of B's runs, so that they sample the whole flood. */
const B_GAP_MS = Number(process.env.BENCH_B_GAP_MS ?? 200);
const ADMISSION = process.env.BENCH_ADMISSION;
const WARM_UP_RUNS = 200;
const SOURCE = 'bench/fairness';
const WORKSPACE_B = 'bench-b';
const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (/** @type {string} */ line) => process.stderr.write(`${line}\n`);
/** B's starts answered 504 (the gateway's REQUEST_TIMEOUT_MS) and sent again. */
let startRetries = 0;
const steps = ['a', 'b', 'c'].map((name) => ({ name, agent: 'noop-agent', input: '${input}' }));

async function main() {
  const platform = await startBenchPlatform({
    log,
    extraEnv: ADMISSION === undefined ? {} : { RUN_ADMISSION_ACTIVE_RUNS_PER_WORKSPACE: ADMISSION },
  });
  const { OrchestratePlatform, AgentWorker } = require(path.join(ROOT, 'dist/libs/sdk/src'));
  const brokers = platform.infra.kafkaBrokers.split(',');
  const admin = new OrchestratePlatform({ apiKey: platform.apiKey, endpoint: platform.gatewayUrl });
  const keyB = await workspaceKey(platform, WORKSPACE_B);
  const b = new OrchestratePlatform({ apiKey: keyB, endpoint: platform.gatewayUrl });
  const workers = [];
  for (const [client, workspaceId] of [
    [admin, 'default'],
    [b, WORKSPACE_B],
  ]) {
    await client.registerAgent({ name: 'noop-agent', type: 'worker', max_instances: 6 });
    const worker = new AgentWorker({
      agent: 'noop-agent',
      workspaceId,
      handler: (/** @type {unknown} */ i) => i,
      brokers,
      concurrency: 64,
    });
    await worker.start();
    workers.push(worker);
  }
  const kafka = new Kafka({ brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  const completions = await watchCompletions(kafka);
  let out;
  try {
    await admin.createWorkflow({ name: 'flood', trigger: 'bench.flood', steps });
    await b.createWorkflow({ name: 'small', steps });
    // Unmeasured: the first runs pay for JIT compilation and cold caches.
    await startWithEvents(producer, 'flood', WARM_UP_RUNS, SOURCE);
    while (completions.count('flood') < WARM_UP_RUNS) await sleep(50);
    for (let i = 0; i < 5; i++) await runB(b, completions);

    log(`B alone: ${B_RUNS} runs`);
    const alone = [];
    for (let i = 0; i < B_RUNS; i++) {
      alone.push(await runB(b, completions));
      await sleep(B_GAP_MS);
    }

    log(`A floods ${FLOOD_RUNS} runs; B runs meanwhile`);
    const floodStart = Date.now();
    await startWithEvents(producer, 'flood', FLOOD_RUNS, SOURCE);
    const floodSent = Date.now();
    // The flood is in: A's events are on the ingress topic before B's first start.
    const during = [];
    let aDoneAtLastB = 0;
    for (let i = 0; i < B_RUNS; i++) {
      during.push(await runB(b, completions));
      aDoneAtLastB = completions.count('flood') - WARM_UP_RUNS;
      await sleep(B_GAP_MS);
    }
    while (completions.count('flood') < WARM_UP_RUNS + FLOOD_RUNS) await sleep(100);
    const floodSeconds = (Date.now() - floodStart) / 1000;
    const aloneFigures = summarize(alone);
    const duringFigures = summarize(during);
    out = {
      date: new Date().toISOString(),
      machine: machine(),
      load_average: os.loadavg(),
      admission: ADMISSION ?? 'engine default',
      flood_runs: FLOOD_RUNS,
      flood_send_seconds: (floodSent - floodStart) / 1000,
      flood_seconds: floodSeconds,
      flood_steps_per_s: Math.round((FLOOD_RUNS * 3) / floodSeconds),
      a_runs_done_when_b_finished: aDoneAtLastB,
      b_alone_ms: aloneFigures,
      b_during_flood_ms: duringFigures,
      b_starts_retried_after_504: startRetries,
    };
  } finally {
    await completions.stop();
    await producer.disconnect();
    for (const worker of workers) await worker.stop();
    await platform.stop();
  }
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  fs.writeFileSync(path.join(__dirname, 'results', 'fairness.json'), JSON.stringify(out, null, 2));
  const row = (/** @type {string} */ label, /** @type {any} */ s) =>
    `  ${label.padEnd(34)} p50 ${s.p50} ms   p99 ${s.p99} ms   max ${s.max} ms   (n=${s.n})\n`;
  process.stdout.write(
    `\nfairness: workspace A floods ${FLOOD_RUNS} runs x 3 no-op steps, workspace B starts one run at a time (admission: ${out.admission})\n` +
      row('B alone, start -> completed', out.b_alone_ms) +
      row("B during A's flood", out.b_during_flood_ms) +
      `  B's extra delay under the flood: p50 +${Math.round(out.b_during_flood_ms.p50 - out.b_alone_ms.p50)} ms, max +${Math.round(out.b_during_flood_ms.max - out.b_alone_ms.p50)} ms\n` +
      `  B's starts answered 504 and sent again: ${out.b_starts_retried_after_504}\n` +
      `  A's flood: sent in ${out.flood_send_seconds} s, all done in ${out.flood_seconds} s (${out.flood_steps_per_s} steps/s); ${out.a_runs_done_when_b_finished} of A's runs done when B's last finished\n` +
      `  machine: ${out.machine}; load average at the end: ${out.load_average.map((l) => l.toFixed(1)).join(' ')}\n`,
  );
}

/**
 * One run of B: start over HTTP, wait for its completion on Kafka; answers the milliseconds between.
 * @param {any} client
 * @param {Awaited<ReturnType<typeof watchCompletions>>} completions
 */
async function runB(client, completions) {
  const began = performance.now();
  // A start the gateway gave up on (504 while the engine is busy) is sent again with the same
  // key, as a client would: the same run, and the clock keeps running from the first try.
  const idempotencyKey = randomUUID();
  let run;
  for (let attempt = 1; !run; attempt++) {
    try {
      run = await client.startRun('small', { n: 1 }, { idempotencyKey });
    } catch (error) {
      if (attempt >= 40 || /** @type {any} */ (error).status !== 504) throw error;
      startRetries++;
    }
  }
  const ended = await completions.waitFor(run.id, 600_000);
  if (ended !== 'workflow.run.completed') throw new Error(`B's run ${run.id}: ${ended}`);
  return performance.now() - began;
}

/**
 * Creates the workspace through the API (as a platform admin does) and answers an admin key of it.
 * @param {{ api: (method: string, route: string, body?: unknown) => Promise<any> }} platform
 * @param {string} id
 */
async function workspaceKey(platform, id) {
  await platform.api('POST', '/v1/workspaces', { id, name: id });
  const issued = await platform.api('POST', `/v1/workspaces/${id}/api-keys`, {
    name: 'bench',
    role: 'admin',
  });
  return issued.key;
}

runMain(main);
