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
const { startBareLoop } = require('./bare-round-trip');
const { Kafka, logLevel } = require('./kafkajs');
const { startBenchPlatform } = require('./bench-platform');
const { watchCompletions } = require('./run-completions');
const { summarize, machine, runMain } = require('./stats');
const { startNoopAgent } = require('./noop-agent-process');

const ROOT = path.resolve(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 100);
const ROUND_TRIPS = Number(process.env.BENCH_ROUND_TRIPS ?? 1000);
// Measured in steady state, as the bare loop is. On a broker started just
// before, the broker's JVM and the services' V8 take about 20 s of load to
// optimize their hot paths: a step took 10.4 ms in the first 10 s, 7.8 in the
// next, about 5–6 after that (bench/README.md, 2026-12-05).
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 30);
// Runs and round trips alternate in this many blocks, so that both see the
// same moments of a noisy machine: its speed drifts by a third over seconds.
const BLOCKS = Number(process.env.BENCH_BLOCKS ?? 10);
// The bare loop's echo in its own process, like the no-op agent; `shared` puts
// it in this process, on the requester's event loop (bare-round-trip.js).
const BARE_ECHO = process.env.BENCH_BARE_ECHO === 'shared' ? 'shared' : 'process';
const STEPS = 10;
const log = (/** @type {string} */ line) => process.stderr.write(`${line}\n`);

async function main() {
  const platform = await startBenchPlatform({ log });
  const { OrchestratePlatform } = require(path.join(ROOT, 'dist/libs/sdk/src'));
  const brokers = platform.infra.kafkaBrokers.split(',');
  let worker;
  /** @type {Awaited<ReturnType<typeof startBareLoop>> | undefined} */
  let bare;
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
    log(`warming up for ${WARMUP_SECONDS} s…`);
    const warmUntil = Date.now() + WARMUP_SECONDS * 1000;
    let warmed = 0;
    while (Date.now() < warmUntil) await runOnce(warmed++);
    bare = await startBareLoop(brokers, { echo: BARE_ECHO });

    log(
      `${RUNS} sequential runs of ${STEPS} steps and ${ROUND_TRIPS} bare round trips, in ${BLOCKS} blocks…`,
    );
    /** @type {number[]} */
    const perStep = [];
    /** @type {number[]} */
    const roundTrip = [];
    for (let block = 0; block < BLOCKS; block++) {
      for (let i = 0; i < Math.ceil(RUNS / BLOCKS) && perStep.length < RUNS; i++) {
        const run = await runOnce(warmed + perStep.length);
        if (run.status !== 'completed') throw new Error(`run ${run.id} ${run.status}`);
        // Server-side timing: from the run's creation to its end.
        perStep.push((Date.parse(run.finished_at) - Date.parse(run.created_at)) / STEPS);
      }
      const left = ROUND_TRIPS - roundTrip.length;
      roundTrip.push(...(await bare.measure(Math.min(left, Math.ceil(ROUND_TRIPS / BLOCKS)))));
    }

    const step = summarize(perStep);
    const rt = summarize(roundTrip);
    // A run's figure is the mean of its 10 steps, which smooths out single slow
    // steps; the bare round trips grouped by 10 in order are its like for medians.
    const rtChains = summarize(
      Array.from(
        { length: Math.floor(roundTrip.length / STEPS) },
        (_, i) =>
          roundTrip.slice(i * STEPS, (i + 1) * STEPS).reduce((sum, ms) => sum + ms, 0) / STEPS,
      ),
    );
    const result = {
      date: new Date().toISOString(),
      machine: machine(),
      runs: RUNS,
      warm_up_runs: warmed,
      blocks: BLOCKS,
      steps_per_run: STEPS,
      per_step_ms: step,
      bare_echo: BARE_ECHO,
      bare_round_trip_ms: rt,
      bare_round_trip_ms_in_chains_of_10: rtChains,
      ratio_mean: Number((step.mean / rt.mean).toFixed(2)),
      ratio_p50: Number((step.p50 / rt.p50).toFixed(2)),
      ratio_p50_chains: Number((step.p50 / rtChains.p50).toFixed(2)),
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
                  (after ${warmed} warm-up runs in ${WARMUP_SECONDS} s)
  baseline: bare kafkajs request/reply round trip (${ROUND_TRIPS}, alternating with the runs; echo: ${BARE_ECHO === 'process' ? 'own process' : 'in this process'})
                  mean ${rt.mean} ms   p50 ${rt.p50} ms   p99 ${rt.p99} ms
                  p50 ${rtChains.p50} ms per round trip in chains of ${STEPS}, as a run's steps are timed
  ratio           ${result.ratio_mean}x (mean)   ${result.ratio_p50}x (p50)   ${result.ratio_p50_chains}x (p50, chains)   goal <= 2x
`);
  } finally {
    await completions.stop();
    await bare?.stop();
    await worker?.stop();
    await platform.stop();
  }
}

runMain(main);
