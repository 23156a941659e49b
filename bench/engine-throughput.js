#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * Throughput: completed steps per second for 1,000 concurrent runs of a 3-step
 * workflow with a no-op agent, with one and with two workflow-engine processes,
 * and the engines' memory under that load. Goal (issue 3): >= 1,000 steps/s.
 * Usage: npm run build && node bench/engine-throughput.js
 */
const fs = require('node:fs');
const path = require('node:path');
const { startBenchPlatform } = require('./bench-platform');
const { machine, runMain } = require('./stats');
const { startService, waitReady, stopServices } = require('../scripts/platform/launcher');

const ROOT = path.resolve(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 1000);
const START_CONCURRENCY = 50;
const log = (/** @type {string} */ line) => process.stderr.write(`${line}\n`);

async function main() {
  const platform = await startBenchPlatform({ log });
  const { OrchestratePlatform, AgentWorker } = require(path.join(ROOT, 'dist/libs/sdk/src'));
  const brokers = platform.infra.kafkaBrokers.split(',');
  const orchestrate = new OrchestratePlatform({
    apiKey: platform.apiKey,
    endpoint: platform.gatewayUrl,
  });
  await orchestrate.registerAgent({ name: 'noop-agent', type: 'worker', max_instances: 6 });
  const worker = new AgentWorker({
    agent: 'noop-agent',
    handler: (/** @type {unknown} */ i) => i,
    brokers,
    concurrency: 6,
  });
  await worker.start();
  await orchestrate.createWorkflow({
    name: 'three-noop-steps',
    steps: ['a', 'b', 'c'].map((name) => ({ name, agent: 'noop-agent', input: '${input}' })),
  });
  /** @type {any[]} */
  const extra = [];
  const results = [];
  try {
    results.push(await measure('one engine', platform, orchestrate));
    const engine = platform.services.find((s) => s.name === 'workflow-engine');
    const second = startService({
      name: 'workflow-engine',
      port: (engine?.port ?? 5103) + 100,
      env: platform.env,
      logDir: path.join(ROOT, '.cache', 'bench-logs', 'second'),
    });
    extra.push(second);
    await waitReady(second, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 12_000)); // the groups rebalance onto both engines
    results.push(await measure('two engines', platform, orchestrate, second.child.pid));
  } finally {
    await worker.stop();
    await stopServices(extra);
    await platform.stop();
  }
  const out = {
    date: new Date().toISOString(),
    machine: machine(),
    runs: RUNS,
    steps_per_run: 3,
    results,
    goal_steps_per_s: 1000,
  };
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  fs.writeFileSync(
    path.join(__dirname, 'results', 'engine-throughput.json'),
    JSON.stringify(out, null, 2),
  );
  process.stdout.write(
    `\nengine throughput, ${RUNS} concurrent runs x 3 steps, no-op agent (goal >= 1000 steps/s)\n`,
  );
  for (const r of results) {
    process.stdout.write(
      `  ${r.label.padEnd(12)} ${r.steps_per_s} steps/s   all done in ${r.seconds} s   engine RSS max ${r.engine_rss_mb.join(' + ')} MiB\n`,
    );
  }
}

/**
 * Starts RUNS runs (START_CONCURRENCY at a time) and waits for all to complete.
 * @param {string} label
 * @param {any} platform
 * @param {any} orchestrate
 * @param {number} [secondPid]
 */
async function measure(label, platform, orchestrate, secondPid) {
  const engine = platform.services.find((/** @type {any} */ s) => s.name === 'workflow-engine');
  const pids = [engine.child.pid, ...(secondPid ? [secondPid] : [])];
  const rss = pids.map(() => 0);
  const sampler = setInterval(
    () => pids.forEach((pid, i) => (rss[i] = Math.max(rss[i], rssMb(pid)))),
    200,
  );
  log(`${label}: starting ${RUNS} runs…`);
  const started = Date.now();
  const ids = [];
  for (let i = 0; i < RUNS; i += START_CONCURRENCY) {
    const batch = Array.from({ length: Math.min(START_CONCURRENCY, RUNS - i) }, (_, j) =>
      orchestrate.startRun('three-noop-steps', { n: i + j }),
    );
    ids.push(...(await Promise.all(batch)).map((/** @type {any} */ r) => r.id));
  }
  const startedAll = Date.now();
  const wanted = new Set(ids);
  for (;;) {
    let done = 0;
    let cursor = null;
    do {
      const page = await orchestrate.listRuns({
        workflow: 'three-noop-steps',
        status: 'completed',
        limit: 200,
        cursor: cursor ?? undefined,
      });
      done += page.items.filter((/** @type {any} */ r) => wanted.has(r.id)).length;
      cursor = page.next_cursor;
    } while (cursor);
    if (done === RUNS) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  clearInterval(sampler);
  const seconds = (Date.now() - started) / 1000;
  return {
    label,
    seconds: Number(seconds.toFixed(2)),
    start_seconds: Number(((startedAll - started) / 1000).toFixed(2)),
    steps_per_s: Math.round((RUNS * 3) / seconds),
    engine_rss_mb: rss.map((v) => Math.round(v)),
  };
}

/** @param {number} pid */
function rssMb(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

runMain(main);
