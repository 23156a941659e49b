#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * Throughput: completed steps per second for 1,000 concurrent runs of a 3-step
 * workflow with a no-op agent, with one and with two workflow-engine processes,
 * and the engines' memory under that load. Goal (issue 3): >= 1,000 steps/s.
 * The runs are started both ways users start them: over HTTP through the
 * gateway (50 requests at a time) and by events a plain Kafka producer writes
 * to baton.events.ingress. The clock runs from the first start to the last
 * workflow.run.completed event. Goal (issue 20): runs started over HTTP reach
 * at least 80 % of the steps/s of the same runs started by Kafka events. The
 * HTTP starts come from this script's client (the SDK, the default) or, with
 * BENCH_HTTP_CLIENT=autocannon, from autocannon (npm), 50 keep-alive
 * connections either way.
 * Usage: npm run build && node bench/engine-throughput.js
 */
const fs = require('node:fs');
const path = require('node:path');
const { startBenchPlatform } = require('./bench-platform');
const { metricsPortOf } = require('../scripts/platform/services');
const { watchCompletions } = require('./run-completions');
const { machine, runMain } = require('./stats');
const { startWithEvents } = require('./ingress-events');
const { autocannonLoad } = require('./autocannon-load');
const { Kafka, logLevel } = require('./kafkajs');
const { startService, waitReady, stopServices } = require('../scripts/platform/launcher');
const {
  watchedProcesses,
  startSeriesCost,
  topicOffsets,
  messagesPerRun,
} = require('./series-cost');

const ROOT = path.resolve(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 1000);
const START_CONCURRENCY = 50;
const WARM_UP_RUNS = 300;
const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));
/**
 * How runs are started: `http`, `kafka`, or both (the default); `kafka-paced`
 * (after `http`) writes the events at the pace the HTTP series started its
 * runs, a slice of START_CONCURRENCY at a time: the same runs arriving as
 * spread out as the HTTP starts, so that what the start itself costs shows
 * apart from what a burst saves every later stage (bigger batches).
 */
const VIAS = /** @type {('http' | 'kafka' | 'kafka-paced')[]} */ (
  (process.env.BENCH_VIA ?? 'http,kafka')
    .split(',')
    .filter((v) => v === 'http' || v === 'kafka' || v === 'kafka-paced')
);
/** With BENCH_ENGINES=1 the second engine is not started. */
const ENGINE_COUNTS = Number(process.env.BENCH_ENGINES ?? 2) >= 2 ? [1, 2] : [1];
const SOURCE = 'bench/engine-throughput';
/** Who sends the HTTP starts: `sdk` (this script, the default) or `autocannon`. */
const HTTP_CLIENT = process.env.BENCH_HTTP_CLIENT === 'autocannon' ? 'autocannon' : 'sdk';
const HTTP_GOAL = 0.8;
/**
 * The engine's per-workspace run admission limit for this bench. Off by
 * default: all runs are in one workspace, and with the engine's default
 * (200) 800 of 1,000 would wait queued, so the figure would be the
 * admission queue's, not the engine's (bench/fairness.js measures that).
 * The rate limits are lifted for the same reason (bench-platform.js).
 * BENCH_ADMISSION=200 measures with the engine's default.
 */
const ADMISSION = process.env.BENCH_ADMISSION ?? '0';
const log = (/** @type {string} */ line) => process.stderr.write(`${line}\n`);

async function main() {
  const platform = await startBenchPlatform({
    log,
    extraEnv: { RUN_ADMISSION_ACTIVE_RUNS_PER_WORKSPACE: ADMISSION },
  });
  const { OrchestratePlatform, AgentWorker } = require(path.join(ROOT, 'dist/libs/sdk/src'));
  const brokers = platform.infra.kafkaBrokers.split(',');
  const orchestrate = new OrchestratePlatform({
    apiKey: platform.apiKey,
    endpoint: platform.gatewayUrl,
    // On a loaded shared machine a start can take longer than the default 30 s: the
    // series measures CPU cost there, and one timeout would end it.
    timeoutMs: 120_000,
  });
  await orchestrate.registerAgent({ name: 'noop-agent', type: 'worker', max_instances: 6 });
  const worker = new AgentWorker({
    agent: 'noop-agent',
    handler: (/** @type {unknown} */ i) => i,
    brokers,
    // A no-op handler can take many tasks at once; the worker is not what this measures.
    concurrency: 64,
  });
  await worker.start();
  const kafka = new Kafka({ brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  const completions = await watchCompletions(kafka);
  const admin = kafka.admin();
  await admin.connect();
  /** @type {any[]} */
  const extra = [];
  const results = [];
  const engine = platform.services.find((/** @type {any} */ s) => s.name === 'workflow-engine');
  const enginePids = [engine.child.pid];
  const enginePorts = [engine.port];
  try {
    // Unmeasured: the services' first runs pay for JIT compilation and cold caches.
    await orchestrate.createWorkflow({
      name: 'warm-up',
      trigger: 'bench.warm-up',
      steps: ['a', 'b', 'c'].map((name) => ({ name, agent: 'noop-agent', input: '${input}' })),
    });
    await startWithEvents(producer, 'warm-up', WARM_UP_RUNS, SOURCE);
    while (completions.count('warm-up') < WARM_UP_RUNS) await sleep(50);
    for (const engines of ENGINE_COUNTS) {
      if (engines === 2) {
        const second = startService({
          name: 'workflow-engine',
          port: engine.port + 100,
          env: platform.env,
          logDir: path.join(ROOT, '.cache', 'bench-logs', 'second'),
        });
        extra.push(second);
        enginePids.push(second.child.pid);
        enginePorts.push(engine.port + 100);
        await waitReady(second, 60_000);
        await new Promise((resolve) => setTimeout(resolve, 12_000)); // the groups rebalance onto both engines
        // The new engine's code is cold too; unwarmed it spent 2-3x the CPU of the first per run.
        await startWithEvents(producer, 'warm-up', WARM_UP_RUNS, SOURCE);
        while (completions.count('warm-up') < 2 * WARM_UP_RUNS) await sleep(50);
      }
      for (const via of VIAS) {
        const workflow = `three-noop-steps-${via}-${engines}`;
        await orchestrate.createWorkflow({
          name: workflow,
          ...(via !== 'http' ? { trigger: `bench.${workflow}` } : {}),
          steps: ['a', 'b', 'c'].map((name) => ({ name, agent: 'noop-agent', input: '${input}' })),
        });
        const httpStartSeconds =
          results.find((r) => r.engines === engines && r.via === 'http')?.start_seconds ?? 0;
        const start =
          via === 'http'
            ? () => startOverHttp(orchestrate, platform, workflow)
            : via === 'kafka'
              ? () => startWithEvents(producer, workflow, RUNS, SOURCE)
              : () => startPaced(producer, workflow, httpStartSeconds);
        const how = {
          http: `over HTTP (${HTTP_CLIENT})`,
          kafka: 'by Kafka events',
          'kafka-paced': `by Kafka events at the HTTP series' pace (${httpStartSeconds} s)`,
        }[via];
        const label = `${engines} engine${engines > 1 ? 's' : ''}, runs started ${how}`;
        results.push({
          engines,
          via,
          ...(await measure(
            label,
            platform,
            enginePids,
            enginePorts,
            completions,
            workflow,
            start,
            admin,
          )),
        });
      }
    }
  } finally {
    await completions.stop();
    await admin.disconnect();
    await producer.disconnect();
    await worker.stop();
    await stopServices(extra);
    await platform.stop();
  }
  const out = {
    date: new Date().toISOString(),
    load_average: require('node:os').loadavg(),
    http_client: HTTP_CLIENT,
    machine: machine(),
    runs: RUNS,
    steps_per_run: 3,
    run_admission_per_workspace: Number(ADMISSION),
    results,
    goal_steps_per_s: 1000,
  };
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  fs.writeFileSync(
    path.join(__dirname, 'results', 'engine-throughput.json'),
    JSON.stringify(out, null, 2),
  );
  process.stdout.write(
    `\nengine throughput, ${RUNS} concurrent runs x 3 steps, no-op agent (goal >= 1000 steps/s)` +
      `, run admission ${ADMISSION === '0' ? 'off' : `at ${ADMISSION} runs per workspace`}\n`,
  );
  for (const r of results) {
    process.stdout.write(
      `  ${r.label}\n    ${r.steps_per_s} steps/s   all done in ${r.seconds} s (starting the runs: ${r.start_seconds} s)   engine RSS max ${r.engine_rss_mb.join(' + ')} MiB\n`,
    );
    const spent = Object.entries(r.cpu_seconds).sort((a, b) => b[1] - a[1]);
    process.stdout.write(`    CPU seconds: ${spent.map(([n, v]) => `${n} ${v}`).join(', ')}\n`);
    const above = Object.entries(r.cpu_seconds_above_idle).sort((a, b) => b[1] - a[1]);
    process.stdout.write(
      `    CPU seconds above idle: ${above.map(([n, v]) => `${n} ${v}`).join(', ')}\n`,
    );
    const topics = Object.entries(r.messages_per_run).map(([t, n]) => `${t} ${n}`);
    process.stdout.write(
      `    messages per run: ${topics.join(', ')}; Postgres transactions per run ${r.postgres_transactions_per_run}\n`,
    );
    const paths = Object.entries(r.result_decisions).map(([k, v]) => `${k} ${v}`);
    process.stdout.write(`    task results decided: ${paths.join(', ')}\n`);
  }
  for (const engines of ENGINE_COUNTS) {
    const http = results.find((r) => r.engines === engines && r.via === 'http');
    const kafka = results.find((r) => r.engines === engines && r.via === 'kafka');
    if (!http || !kafka) continue;
    const ratio = http.steps_per_s / kafka.steps_per_s;
    process.stdout.write(
      `  ${engines} engine${engines > 1 ? 's' : ''}: started over HTTP ${Math.round(ratio * 100)} % of the Kafka rate (goal >= ${HTTP_GOAL * 100} %: ${ratio >= HTTP_GOAL ? 'met' : 'NOT met'})\n`,
    );
  }
  process.stdout.write(
    `  load average at the end: ${out.load_average.map((l) => l.toFixed(1)).join(' ')}\n`,
  );
}

/**
 * RUNS runs through the gateway, START_CONCURRENCY requests in flight: each
 * client sends its next request as soon as its last is answered, as a pool of
 * users would (not in waves that wait for the slowest of each).
 * @param {any} orchestrate
 * @param {any} platform
 * @param {string} workflow
 */
async function startOverHttp(orchestrate, platform, workflow) {
  if (HTTP_CLIENT === 'autocannon') {
    const figures = await autocannonLoad({
      url: `${platform.gatewayUrl}/v1/workflows/${workflow}/runs`,
      method: 'POST',
      apiKey: platform.apiKey,
      body: { input: { n: 1 } },
      amount: RUNS,
      connections: START_CONCURRENCY,
    });
    log(`  autocannon: ${JSON.stringify(figures)}`);
    if (figures.non2xx + figures.errors + figures.timeouts > 0)
      throw new Error(`autocannon: ${figures.non2xx} non-2xx answers, ${figures.errors} errors`);
    return;
  }
  let next = 0;
  const client = async () => {
    while (next < RUNS) await orchestrate.startRun(workflow, { n: next++ });
  };
  await Promise.all(Array.from({ length: START_CONCURRENCY }, client));
}

/**
 * RUNS start events in slices of START_CONCURRENCY, spread evenly over
 * `seconds` (the HTTP series' start time).
 * @param {import('kafkajs').Producer} producer
 * @param {string} workflow
 * @param {number} seconds
 */
async function startPaced(producer, workflow, seconds) {
  const slices = Math.ceil(RUNS / START_CONCURRENCY);
  const began = Date.now();
  for (let slice = 0; slice < slices; slice++) {
    const due = began + (slice * seconds * 1000) / slices;
    if (due > Date.now()) await sleep(due - Date.now());
    const count = Math.min(START_CONCURRENCY, RUNS - slice * START_CONCURRENCY);
    await startWithEvents(producer, workflow, count, SOURCE);
  }
}

/**
 * Starts RUNS runs and waits until all completed.
 * @param {string} label
 * @param {any} platform
 * @param {number[]} pids the engines
 * @param {number[]} ports the engines' HTTP ports (for /metrics)
 * @param {{ count: (workflow: string) => number }} completions
 * @param {string} workflow
 * @param {() => Promise<void>} start
 * @param {import('kafkajs').Admin} admin
 */
async function measure(label, platform, pids, ports, completions, workflow, start, admin) {
  const rss = pids.map(() => 0);
  const sampler = setInterval(
    () => pids.forEach((pid, i) => (rss[i] = Math.max(rss[i], rssMb(pid)))),
    200,
  );
  const cost = await startSeriesCost(
    watchedProcesses(platform, pids[1] ? { 'workflow-engine (2nd)': pids[1] } : {}),
    platform.databaseUrl,
  );
  const offsetsBefore = await topicOffsets(admin);
  const decisionsBefore = await resultDecisions(ports);
  log(`${label}: starting ${RUNS} runs…`);
  const started = Date.now();
  await start();
  const startedAll = Date.now();
  while (completions.count(workflow) < RUNS)
    await new Promise((resolve) => setTimeout(resolve, 20));
  clearInterval(sampler);
  const seconds = (Date.now() - started) / 1000;
  /** CPU seconds each process spent on the measured work: where the two cores went. */
  const cpu = await cost.finish();
  const decisionsAfter = await resultDecisions(ports);
  const offsetsAfter = await topicOffsets(admin);
  return {
    label,
    seconds: Number(seconds.toFixed(2)),
    start_seconds: Number(((startedAll - started) / 1000).toFixed(2)),
    steps_per_s: Math.round((RUNS * 3) / seconds),
    engine_rss_mb: rss.map((v) => Math.round(v)),
    cpu_seconds: cpu.spent,
    cpu_seconds_above_idle: cpu.aboveIdle,
    messages_per_run: messagesPerRun(offsetsBefore, offsetsAfter, RUNS),
    postgres_transactions_per_run: Number((cpu.transactions / RUNS).toFixed(2)),
    result_decisions: Object.fromEntries(
      Object.entries(decisionsAfter).map(([k, v]) => [k, v - (decisionsBefore[k] ?? 0)]),
    ),
  };
}

/**
 * How the engines decided task results so far, summed over the engines:
 * `cached` (one statement, ADR 0011) or the reason a result took the locked
 * path. With two engines a run's results may reach the engine that did not
 * start it, which then has it uncached.
 * @param {number[]} ports
 */
async function resultDecisions(ports) {
  /** @type {Record<string, number>} */
  const sums = {};
  for (const port of ports) {
    const text = await (await fetch(`http://127.0.0.1:${metricsPortOf(port)}/metrics`)).text();
    for (const [, outcome, value] of text.matchAll(
      /^baton_engine_cached_decisions_total\{[^}]*outcome="(\w+)"[^}]*\} (\d+)/gm,
    )) {
      sums[outcome] = (sums[outcome] ?? 0) + Number(value);
    }
  }
  return sums;
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
