#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * What metrics and log shipping cost a workflow step, on against off in one
 * run. Each phase starts the six services afresh (same broker, a fresh
 * database): `on` as shipped (metrics recorded on the hot path, the services'
 * warnings shipped, and an agent whose handler calls orchestrate.logger.info
 * once per task with shipping to POST /v1/logs), `off` with BATON_METRICS=off
 * and LOG_SHIPPING=off on the services and the agent's logger writing to
 * stdout only. Per phase: the per-step latency of sequential 10-step runs
 * (server-side clock), then the throughput of concurrent 3-step runs.
 * Phases run in the order of BENCH_PHASES (default on,off,on: the repeated
 * `on` shows how much the machine drifted meanwhile).
 * Usage: npm run build && node bench/observability-overhead.js
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { Client } = require('pg');
const { Kafka, logLevel } = require('./kafkajs');
const { startBenchPlatform } = require('./bench-platform');
const { watchCompletions } = require('./run-completions');
const { summarize, machine, runMain } = require('./stats');

const ROOT = path.resolve(__dirname, '..');
// BENCH_PHASES= (empty) measures only the in-process costs.
const PHASES = (process.env.BENCH_PHASES ?? 'on,off,on')
  .split(',')
  .filter((p) => p === 'on' || p === 'off');
const RUNS = Number(process.env.BENCH_RUNS ?? 60);
const CONCURRENT_RUNS = Number(process.env.BENCH_CONCURRENT_RUNS ?? 300);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 20);
const SEQUENTIAL_STEPS = 10;
const CONCURRENT_STEPS = 3;
const START_CONCURRENCY = 50;
const AGENT = 'logging-agent';
const log = (/** @type {string} */ line) => process.stderr.write(`${line}\n`);
const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The agent, in a process of its own: logs one structured record per task, then answers. */
async function serveAgent() {
  const { AgentWorker, OrchestratePlatform, StructuredLogger } = require(
    path.join(ROOT, 'dist/libs/sdk/src'),
  );
  const pino = require('pino');
  const orchestrate = new OrchestratePlatform({
    apiKey: String(process.env.BENCH_API_KEY),
    endpoint: String(process.env.BENCH_GATEWAY_URL),
  });
  // Off: the same call, written by pino to stdout (here /dev/null) and not shipped.
  const logger =
    process.env.BENCH_LOG_SHIPPING === 'on'
      ? orchestrate.logger
      : new StructuredLogger(pino({ base: { workspace_id: 'default' } }));
  const worker = new AgentWorker({
    agent: AGENT,
    brokers: String(process.env.KAFKA_BROKERS).split(','),
    concurrency: 64,
    handler: (/** @type {any} */ input, /** @type {any} */ task) => {
      logger.forTask(AGENT, task).info('Agent invoked', { n: input?.n ?? null, tier: 'gold' });
      return input;
    },
  });
  await worker.start();
  process.stdout.write('ready\n');
  process.once('SIGTERM', () => {
    Promise.all([worker.stop(), logger.flush()]).finally(() => process.exit(0));
  });
}

/**
 * @param {{ brokers: string, apiKey: string, gatewayUrl: string, shipping: boolean }} options
 * @returns {Promise<{ stop: () => Promise<void> }>}
 */
function startAgent(options) {
  const child = spawn(
    process.execPath,
    [path.join(__dirname, 'observability-overhead.js'), 'agent'],
    {
      env: {
        ...process.env,
        KAFKA_BROKERS: options.brokers,
        BENCH_API_KEY: options.apiKey,
        BENCH_GATEWAY_URL: options.gatewayUrl,
        BENCH_LOG_SHIPPING: options.shipping ? 'on' : 'off',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    const failed = (/** @type {number | null} */ code) =>
      reject(new Error(`the agent exited with ${code}`));
    child.once('exit', failed);
    child.stdout.on('data', (chunk) => {
      if (!String(chunk).includes('ready')) return;
      child.off('exit', failed);
      child.stdout.resume(); // its log lines go nowhere
      resolve({
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}

/** @param {'on' | 'off'} phase */
async function measurePhase(phase) {
  const on = phase === 'on';
  const platform = await startBenchPlatform({
    log,
    extraEnv: on ? {} : { BATON_METRICS: 'off', LOG_SHIPPING: 'off' },
  });
  const { OrchestratePlatform } = require(path.join(ROOT, 'dist/libs/sdk/src'));
  const brokers = platform.infra.kafkaBrokers;
  const completions = await watchCompletions(
    new Kafka({ brokers: brokers.split(','), clientId: 'bench-obs', logLevel: logLevel.NOTHING }),
    { gatherMs: 50 },
  );
  /** @type {{ stop: () => Promise<void> } | undefined} */
  let agent;
  try {
    const orchestrate = new OrchestratePlatform({
      apiKey: platform.apiKey,
      endpoint: platform.gatewayUrl,
    });
    await orchestrate.registerAgent({ name: AGENT, type: 'worker', max_instances: 1 });
    agent = await startAgent({
      brokers,
      apiKey: platform.apiKey,
      gatewayUrl: platform.gatewayUrl,
      shipping: on,
    });
    const stepsOf = (/** @type {number} */ n) =>
      Array.from({ length: n }, (_, i) => ({
        name: `step-${i + 1}`,
        agent: AGENT,
        input: '${input}',
      }));
    await orchestrate.createWorkflow({ name: 'sequential', steps: stepsOf(SEQUENTIAL_STEPS) });
    await orchestrate.createWorkflow({ name: 'concurrent', steps: stepsOf(CONCURRENT_STEPS) });
    const runOnce = async (/** @type {number} */ n) => {
      const { id } = await orchestrate.startRun('sequential', { n });
      await completions.waitFor(id, 60_000);
      return orchestrate.getRun(id);
    };

    log(`[${phase}] warming up for ${WARMUP_SECONDS} s…`);
    const warmUntil = Date.now() + WARMUP_SECONDS * 1000;
    let warmed = 0;
    while (Date.now() < warmUntil) await runOnce(warmed++);

    log(`[${phase}] ${RUNS} sequential runs of ${SEQUENTIAL_STEPS} steps…`);
    /** @type {number[]} */
    const perStep = [];
    for (let i = 0; i < RUNS; i++) {
      const run = await runOnce(warmed + i);
      if (run.status !== 'completed') throw new Error(`run ${run.id} ${run.status}`);
      perStep.push((Date.parse(run.finished_at) - Date.parse(run.created_at)) / SEQUENTIAL_STEPS);
    }

    log(`[${phase}] ${CONCURRENT_RUNS} concurrent runs of ${CONCURRENT_STEPS} steps…`);
    const started = Date.now();
    let next = 0;
    const client = async () => {
      while (next < CONCURRENT_RUNS) await orchestrate.startRun('concurrent', { n: next++ });
    };
    await Promise.all(Array.from({ length: START_CONCURRENCY }, client));
    while (completions.count('concurrent') < CONCURRENT_RUNS) await sleep(20);
    const seconds = (Date.now() - started) / 1000;

    // Shipped records land within a second or two; wait for them, then count (proof it shipped).
    await sleep(3_000);
    const records = await countLogRecords(platform.databaseUrl);
    return {
      phase,
      per_step_ms: summarize(perStep),
      concurrent_steps_per_s: Math.round((CONCURRENT_RUNS * CONCURRENT_STEPS) / seconds),
      log_records_stored: records,
      steps_logged: (warmed + RUNS) * SEQUENTIAL_STEPS + CONCURRENT_RUNS * CONCURRENT_STEPS,
    };
  } finally {
    await agent?.stop();
    await completions.stop();
    await platform.stop();
  }
}

/** @param {string} databaseUrl */
async function countLogRecords(databaseUrl) {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT count(*)::int AS n FROM event_manager.log_records WHERE source = 'sdk'`,
    );
    return rows[0].n;
  } finally {
    await client.end();
  }
}

/**
 * CPU each piece costs in its own process, per step, measured with
 * process.cpuUsage() (far less sensitive to a loaded machine than latency):
 * the engine's metrics for one ended step and its run, and an SDK log call
 * with and without shipping (the shipper's HTTP is a stub here: the network
 * and the platform's side are what the phases above measure).
 */
function inProcessCosts() {
  const metrics = require(path.join(ROOT, 'dist/apps/workflow-engine/src/runs/workflow-metrics'));
  const { LogShipper, StructuredLogger } = require(path.join(ROOT, 'dist/libs/sdk/src'));
  const pino = require('pino');
  const N = Number(process.env.BENCH_MICRO_CALLS ?? 50_000);
  const microseconds = (/** @type {() => void} */ body) => {
    for (let i = 0; i < 2_000; i++) body(); // warm the JIT
    const before = process.cpuUsage();
    for (let i = 0; i < N; i++) body();
    const used = process.cpuUsage(before);
    return Number(((used.user + used.system) / N).toFixed(3));
  };
  const run = {
    id: 'r',
    workspaceId: 'default',
    workflow: 'wf',
    workflowVersion: 1,
    createdAt: new Date(),
  };
  const runs = new Map([['r', run]]);
  const step = { kind: 'agent', status: 'completed', startedAt: 1, finishedAt: 5 };
  const metricsPerStep = microseconds(() => {
    const observed = metrics.noObservations();
    metrics.observeStep(observed, 'r', step);
    metrics.recordObservations(observed, runs);
  });
  const runMetrics = microseconds(() => {
    metrics.recordRunStarted(run);
    metrics.recordObservations({ steps: [], finished: [{ run, status: 'completed' }] }, runs);
  });
  const devNull = pino.destination('/dev/null');
  const shipper = new LogShipper({ request: () => Promise.resolve() }, { flushIntervalMs: 10 });
  const shipped = new StructuredLogger(pino(devNull), shipper).forTask('agent', {
    runId: 'r',
    step: 's',
    taskId: 't',
  });
  const local = new StructuredLogger(pino(devNull)).forTask('agent', {
    runId: 'r',
    step: 's',
    taskId: 't',
  });
  const fields = { n: 1, tier: 'gold', customer: { id: 'c-1', api_key: 'k' } };
  let sent = 0;
  const logShipped = microseconds(() => {
    shipped.info('Agent invoked', fields);
    // Drained as the timer would, so the buffer never fills (its drops would be cheaper).
    if (++sent % 400 === 0) void shipper.flush();
  });
  const logLocal = microseconds(() => local.info('Agent invoked', fields));
  return {
    calls: N,
    workflow_metrics_per_step_us: metricsPerStep,
    workflow_metrics_per_run_us: runMetrics,
    sdk_log_call_local_us: logLocal,
    sdk_log_call_shipped_us: logShipped,
  };
}

async function main() {
  const micro = inProcessCosts();
  /** @type {Awaited<ReturnType<typeof measurePhase>>[]} */
  const phases = [];
  for (const phase of PHASES) phases.push(await measurePhase(/** @type {'on'|'off'} */ (phase)));
  const mean = (/** @type {'on'|'off'} */ p, /** @type {(r: any) => number} */ f) => {
    const of = phases.filter((r) => r.phase === p).map(f);
    return of.length ? of.reduce((a, b) => a + b, 0) / of.length : NaN;
  };
  if (phases.length === 0) {
    process.stdout.write(`${JSON.stringify(micro, null, 2)}\n`);
    return;
  }
  const onStep = mean('on', (r) => r.per_step_ms.p50);
  const offStep = mean('off', (r) => r.per_step_ms.p50);
  const onRate = mean('on', (r) => r.concurrent_steps_per_s);
  const offRate = mean('off', (r) => r.concurrent_steps_per_s);
  const result = {
    date: new Date().toISOString(),
    machine: machine(),
    runs: RUNS,
    concurrent_runs: CONCURRENT_RUNS,
    phases,
    per_step_p50_ms: { on: round(onStep), off: round(offStep), cost: round(onStep - offStep) },
    concurrent_steps_per_s: { on: Math.round(onRate), off: Math.round(offRate) },
    throughput_cost_percent: round(((offRate - onRate) / offRate) * 100),
    in_process_cpu: micro,
  };
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  fs.writeFileSync(
    path.join(__dirname, 'results', 'observability-overhead.json'),
    JSON.stringify(result, null, 2),
  );
  process.stdout.write(
    `\nobservability overhead: metrics + log shipping on vs off (one structured log record per step)\n`,
  );
  process.stdout.write(
    `  in-process CPU (${micro.calls} calls each):\n` +
      `    engine metrics, one ended step      ${micro.workflow_metrics_per_step_us} µs\n` +
      `    engine metrics, one run start+end   ${micro.workflow_metrics_per_run_us} µs\n` +
      `    SDK logger.info, stdout only        ${micro.sdk_log_call_local_us} µs (baseline)\n` +
      `    SDK logger.info, stdout + shipping  ${micro.sdk_log_call_shipped_us} µs\n`,
  );
  for (const r of phases) {
    process.stdout.write(
      `  ${r.phase.padEnd(3)}  per step p50 ${r.per_step_ms.p50} ms  mean ${r.per_step_ms.mean} ms  p99 ${r.per_step_ms.p99} ms   ` +
        `${r.concurrent_steps_per_s} steps/s (${CONCURRENT_RUNS} x ${CONCURRENT_STEPS} concurrent)   ` +
        `log records stored ${r.log_records_stored} of ${r.steps_logged} steps\n`,
    );
  }
  process.stdout.write(
    `  baseline (off): ${round(offStep)} ms per step p50, ${Math.round(offRate)} steps/s\n` +
      `  cost (on - off): ${result.per_step_p50_ms.cost} ms per step p50, ${result.throughput_cost_percent} % of throughput\n`,
  );
}

/** @param {number} n */
function round(n) {
  return Number(n.toFixed(2));
}

if (process.argv[2] === 'agent') serveAgent();
else runMain(main);
