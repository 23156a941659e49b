#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * What tracing costs a step (issue 25): the per-step time of a sequential
 * 10-step workflow with a no-op agent, with every service exporting its spans
 * over OTLP/HTTP to a receiver in this process, against the same with
 * tracing off (no OTEL_EXPORTER_OTLP_ENDPOINT), measured in one run. The
 * platform is started off, then exported, then off again, each time on a
 * fresh database and after its own warm-up: the two "off" phases show how
 * much the machine itself drifted meanwhile. The receiver counts the spans
 * it gets (spans per step), and answers at once, as a collector does.
 * Usage: npm run build && node bench/tracing-overhead.js
 * Env: BENCH_RUNS (per phase, default 60), BENCH_WARMUP_SECONDS (default 20).
 */
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { Kafka, logLevel } = require('./kafkajs');
const { startBenchPlatform } = require('./bench-platform');
const { watchCompletions } = require('./run-completions');
const { summarize, machine, runMain } = require('./stats');
const { startNoopAgent } = require('./noop-agent-process');

const ROOT = path.resolve(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 60);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 20);
const STEPS = 10;
const log = (/** @type {string} */ line) => process.stderr.write(`${line}\n`);

/** An OTLP/HTTP endpoint that counts the spans of each export and answers 200 at once. */
async function startSpanSink() {
  let spans = 0;
  const server = http.createServer((request, response) => {
    const chunks = /** @type {Buffer[]} */ ([]);
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        for (const resource of body.resourceSpans ?? [])
          for (const scope of resource.scopeSpans ?? []) spans += (scope.spans ?? []).length;
      } catch {
        /* counted as nothing */
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    spans: () => spans,
    stop: () => new Promise((resolve) => server.close(() => resolve(undefined))),
  };
}

/**
 * One phase: the platform with `env`, warmed up, then RUNS sequential runs.
 * @param {'off' | 'exported'} mode
 * @param {Record<string, string>} env
 */
async function measure(mode, env) {
  log(`phase "${mode}": starting the platform…`);
  const platform = await startBenchPlatform({ log, extraEnv: env });
  const { OrchestratePlatform } = require(path.join(ROOT, 'dist/libs/sdk/src'));
  const brokers = platform.infra.kafkaBrokers.split(',');
  let worker;
  const completions = await watchCompletions(
    new Kafka({ brokers, clientId: `bench-tracing-${mode}`, logLevel: logLevel.NOTHING }),
    { gatherMs: 50 },
  );
  try {
    const orchestrate = new OrchestratePlatform({
      apiKey: platform.apiKey,
      endpoint: platform.gatewayUrl,
    });
    await orchestrate.registerAgent({ name: 'noop-agent', type: 'worker', max_instances: 1 });
    worker = await startNoopAgent({ agent: 'noop-agent', brokers: brokers.join(',') });
    const steps = Array.from({ length: STEPS }, (_, i) => ({
      name: `step-${i + 1}`,
      agent: 'noop-agent',
      input: '${input}',
    }));
    await orchestrate.createWorkflow({ name: 'ten-noop-steps', steps });
    const runOnce = async (/** @type {number} */ i) => {
      const { id } = await orchestrate.startRun('ten-noop-steps', { i });
      await completions.waitFor(id, 60_000);
      return orchestrate.getRun(id);
    };
    log(`phase "${mode}": warming up for ${WARMUP_SECONDS} s…`);
    const warmUntil = Date.now() + WARMUP_SECONDS * 1000;
    let warmed = 0;
    while (Date.now() < warmUntil) await runOnce(warmed++);
    log(`phase "${mode}": ${RUNS} sequential runs of ${STEPS} steps…`);
    /** @type {number[]} */
    const perStep = [];
    /** @type {string | null} */
    let traceId = null;
    while (perStep.length < RUNS) {
      const run = await runOnce(warmed + perStep.length);
      if (run.status !== 'completed') throw new Error(`run ${run.id} ${run.status}`);
      perStep.push((Date.parse(run.finished_at) - Date.parse(run.created_at)) / STEPS);
      traceId = /** @type {{ trace_id?: string | null }} */ (run).trace_id ?? null;
    }
    return { perStep: summarize(perStep), runs: warmed + perStep.length, traceId };
  } finally {
    await completions.stop();
    await worker?.stop();
    await platform.stop();
  }
}

async function main() {
  const sink = await startSpanSink();
  try {
    const off = await measure('off', {});
    const spansBefore = sink.spans();
    const exported = await measure('exported', {
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint,
      // The SDK's defaults (batches of up to 512 spans every 5 s) would leave the
      // last runs' spans unsent when the phase ends; 1 s exports them in time.
      OTEL_BSP_SCHEDULE_DELAY: '1000',
    });
    const spansPerStep = (sink.spans() - spansBefore) / (exported.runs * STEPS);
    const offAgain = await measure('off', {});
    const baseline = {
      mean: (off.perStep.mean + offAgain.perStep.mean) / 2,
      p50: (off.perStep.p50 + offAgain.perStep.p50) / 2,
    };
    const result = {
      date: new Date().toISOString(),
      machine: machine(),
      runs_per_phase: RUNS,
      steps_per_run: STEPS,
      per_step_ms_off: off.perStep,
      per_step_ms_exported: exported.perStep,
      per_step_ms_off_again: offAgain.perStep,
      spans_exported_per_step: Number(spansPerStep.toFixed(1)),
      // Off, a run started with no traceparent has no trace at all (no span is recorded).
      trace_id_off: off.traceId,
      trace_id_exported: exported.traceId,
      overhead_ms_mean: Number((exported.perStep.mean - baseline.mean).toFixed(2)),
      overhead_ms_p50: Number((exported.perStep.p50 - baseline.p50).toFixed(2)),
      overhead_ratio_p50: Number((exported.perStep.p50 / baseline.p50).toFixed(2)),
    };
    fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
    fs.writeFileSync(
      path.join(__dirname, 'results', 'tracing-overhead.json'),
      JSON.stringify(result, null, 2),
    );
    process.stdout.write(`
tracing overhead per step, sequential ${STEPS}-step workflow, no-op agent (${RUNS} runs per phase)
  tracing off      mean ${off.perStep.mean} ms   p50 ${off.perStep.p50} ms   p99 ${off.perStep.p99} ms
  exported (OTLP)  mean ${exported.perStep.mean} ms   p50 ${exported.perStep.p50} ms   p99 ${exported.perStep.p99} ms   (${result.spans_exported_per_step} spans per step)
  off again        mean ${offAgain.perStep.mean} ms   p50 ${offAgain.perStep.p50} ms   p99 ${offAgain.perStep.p99} ms
  baseline: the two "off" phases (the machine's drift between them is their difference)
  overhead         ${result.overhead_ms_mean} ms mean   ${result.overhead_ms_p50} ms p50   ${result.overhead_ratio_p50}x p50
`);
  } finally {
    await sink.stop();
  }
}

runMain(main);
