#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * Throughput of connector steps: 1,000 concurrent runs of a one-step
 * workflow whose step is `action: crm.request` (the `http` connector, bearer
 * auth) against a local server that answers at once, so the figure is what
 * Baton itself costs per connector step: Kafka hops, the engine,
 * integration-manager's breaker, token bucket and bulkhead, the address
 * guard, and the delivery record. The runs are started by events a plain
 * Kafka producer writes to baton.events.ingress; the clock runs from the
 * first event to the last `workflow.run.completed`.
 * Compare with bench/engine-throughput.js (agent steps) on the same machine.
 * Usage: npm run build && node bench/connector-throughput.js
 */
const fs = require('node:fs');
const path = require('node:path');
const { createServer } = require('node:http');
const { startBenchPlatform } = require('./bench-platform');
const { watchCompletions } = require('./run-completions');
const { machine, runMain } = require('./stats');
const { startWithEvents } = require('./ingress-events');
const { Kafka, logLevel } = require('./kafkajs');

const ROOT = path.resolve(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 1000);
const WARM_UP_RUNS = 200;
const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));
const SOURCE = 'bench/connector-throughput';
const log = (/** @type {string} */ line) => process.stderr.write(`${line}\n`);

async function main() {
  let served = 0;
  const crm = createServer((request, response) => {
    served += 1;
    request.resume();
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ id: 'C-42', status: 'open' }));
  });
  await new Promise((resolve) => crm.listen(0, '127.0.0.1', () => resolve(undefined)));
  const crmPort = /** @type {import('node:net').AddressInfo} */ (crm.address()).port;

  const platform = await startBenchPlatform({
    log,
    extraEnv: { CONNECTOR_ALLOWED_NETWORKS: '127.0.0.0/8' },
  });
  const { OrchestratePlatform } = require(path.join(ROOT, 'dist/libs/sdk/src'));
  const orchestrate = new OrchestratePlatform({
    apiKey: platform.apiKey,
    endpoint: platform.gatewayUrl,
  });
  const kafka = new Kafka({
    brokers: platform.infra.kafkaBrokers.split(','),
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer();
  await producer.connect();
  const completions = await watchCompletions(kafka);
  let result;
  try {
    const created = await fetch(`${platform.gatewayUrl}/v1/connections`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${platform.apiKey}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        name: 'crm',
        connector: 'http',
        config: {
          base_url: `http://127.0.0.1:${crmPort}`,
          auth: { type: 'bearer' },
          // The bench measures Baton, not a limit it sets for the target's sake.
          resilience: { rate_per_second: 0, max_concurrent: 64, max_queued: 10_000 },
        },
        secrets: { token: 'bench-token' },
      }),
    });
    if (created.status >= 300) {
      throw new Error(`creating the connection: ${created.status} ${await created.text()}`);
    }
    const step = {
      name: 'open-case',
      action: 'crm.request',
      input: { method: 'GET', path: '/cases/42' },
    };
    for (const name of ['warm-up', 'connector-step']) {
      await orchestrate.createWorkflow({ name, trigger: `bench.${name}`, steps: [step] });
    }
    // Unmeasured: the first runs pay for JIT compilation, cold caches and the connection's pool.
    await startWithEvents(producer, 'warm-up', WARM_UP_RUNS, SOURCE);
    while (completions.count('warm-up') < WARM_UP_RUNS) await sleep(50);

    log(`starting ${RUNS} runs of one connector step…`);
    const servedBefore = served;
    const started = Date.now();
    await startWithEvents(producer, 'connector-step', RUNS, SOURCE);
    const startSeconds = (Date.now() - started) / 1000;
    while (completions.count('connector-step') < RUNS) await sleep(20);
    const seconds = (Date.now() - started) / 1000;
    result = {
      runs: RUNS,
      seconds: Number(seconds.toFixed(2)),
      start_seconds: Number(startSeconds.toFixed(2)),
      connector_steps_per_s: Math.round(RUNS / seconds),
      target_calls: served - servedBefore,
    };
  } finally {
    await completions.stop();
    await producer.disconnect();
    await platform.stop();
    crm.close();
  }
  const out = { date: new Date().toISOString(), machine: machine(), ...result };
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  fs.writeFileSync(
    path.join(__dirname, 'results', 'connector-throughput.json'),
    JSON.stringify(out, null, 2),
  );
  process.stdout.write(
    `\nconnector throughput: ${RUNS} concurrent runs x 1 http connector step (local target)\n` +
      `  ${result.connector_steps_per_s} connector steps/s   all done in ${result.seconds} s ` +
      `(starting the runs: ${result.start_seconds} s)   target called ${result.target_calls} times\n` +
      `  compare: bench/engine-throughput.js (agent steps) on the same machine\n`,
  );
}

runMain(main);
