#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * Per-step overhead of a sequential 10-step workflow with a no-op agent,
 * against a bare kafkajs request/reply round trip measured in the same run.
 * Goal (issue 3): at most 2x. Usage: npm run bench (builds first).
 */
const fs = require('node:fs');
const path = require('node:path');
const { bareRoundTrips } = require('./bare-round-trip');
const { Kafka, logLevel } = require('./kafkajs');
const { startBenchPlatform } = require('./bench-platform');
const { watchCompletions } = require('./run-completions');
const { summarize, machine, runMain } = require('./stats');
const { startNoopAgent } = require('./noop-agent-process');

const ROOT = path.resolve(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const ROUND_TRIPS = Number(process.env.BENCH_ROUND_TRIPS ?? 300);
// Steady state, as the bare loop's own 20 warm-up round trips give it: on a
// slow machine V8 has not optimized the services' hot paths after a few runs
// (3 warm-up runs left the first measured ones about 30% slower).
const WARMUP_RUNS = Number(process.env.BENCH_WARMUP_RUNS ?? 20);
const STEPS = 10;
const log = (/** @type {string} */ line) => process.stderr.write(`${line}\n`);

async function main() {
  const platform = await startBenchPlatform({ log });
  const { OrchestratePlatform } = require(path.join(ROOT, 'dist/libs/sdk/src'));
  const brokers = platform.infra.kafkaBrokers.split(',');
  let worker;
  // Its clock is server-side (the run's created_at to finished_at), so the watcher may
  // learn of the end 50 ms late; woken at every step, it would load the steps it times.
  const completions = await watchCompletions(
    new Kafka({ brokers, clientId: 'bench-per-step', logLevel: logLevel.NOTHING }),
    { gatherMs: 50 },
  );
  try {
    const orchestrate = new OrchestratePlatform({
      apiKey: platform.apiKey,
      endpoint: platform.gatewayUrl,
    });
    await orchestrate.registerAgent({ name: 'noop-agent', type: 'worker', max_instances: 1 });
    // Its own process, as users run agents: not sharing this one's event loop.
    worker = await startNoopAgent({ agent: 'noop-agent', brokers: brokers.join(',') });
    const steps = Array.from({ length: STEPS }, (_, i) => ({
      name: `step-${i + 1}`,
      agent: 'noop-agent',
      input: '${input}',
    }));
    await orchestrate.createWorkflow({ name: 'ten-noop-steps', steps });

    // The end of a run is read from its workflow.run.completed event, then the
    // run once: polling the API meanwhile would load the platform being measured.
    const runOnce = async (/** @type {number} */ i) => {
      const { id } = await orchestrate.startRun('ten-noop-steps', { i });
      await completions.waitFor(id, 60_000);
      return orchestrate.getRun(id);
    };
    log(`warming up (${WARMUP_RUNS} runs)…`);
    for (let i = 0; i < WARMUP_RUNS; i++) await runOnce(i);
    log(`${RUNS} sequential runs of ${STEPS} steps…`);
    const perStep = [];
    for (let i = 0; i < RUNS; i++) {
      const run = await runOnce(i);
      if (run.status !== 'completed') throw new Error(`run ${run.id} ${run.status}`);
      // Server-side timing: from the run's creation to its end.
      perStep.push((Date.parse(run.finished_at) - Date.parse(run.created_at)) / STEPS);
    }

    log(`${ROUND_TRIPS} bare kafkajs request/reply round trips…`);
    const roundTrip = await bareRoundTrips(brokers, ROUND_TRIPS);

    const step = summarize(perStep);
    const rt = summarize(roundTrip);
    const result = {
      date: new Date().toISOString(),
      machine: machine(),
      runs: RUNS,
      steps_per_run: STEPS,
      per_step_ms: step,
      bare_round_trip_ms: rt,
      ratio_mean: Number((step.mean / rt.mean).toFixed(2)),
      ratio_p50: Number((step.p50 / rt.p50).toFixed(2)),
      goal_ratio: 2,
    };
    fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
    fs.writeFileSync(
      path.join(__dirname, 'results', 'per-step-overhead.json'),
      JSON.stringify(result, null, 2),
    );
    process.stdout.write(`
per-step overhead, sequential ${STEPS}-step workflow, no-op agent (${RUNS} runs)
  per step        mean ${step.mean} ms   p50 ${step.p50} ms   p99 ${step.p99} ms
  baseline: bare kafkajs request/reply round trip (${ROUND_TRIPS})
                  mean ${rt.mean} ms   p50 ${rt.p50} ms   p99 ${rt.p99} ms
  ratio           ${result.ratio_mean}x (mean)   ${result.ratio_p50}x (p50)   goal <= 2x
`);
  } finally {
    await completions.stop();
    await worker?.stop();
    await platform.stop();
  }
}

runMain(main);
