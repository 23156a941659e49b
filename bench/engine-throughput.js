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
      `  ${r.label.padEnd(12)} ${r.steps_per_s} steps/s   all done in ${r.seconds} s (starting the runs: ${r.start_seconds} s)   engine RSS max ${r.engine_rss_mb.join(' + ')} MiB\n`,
    );
    const spent = Object.entries(r.cpu_seconds).sort((a, b) => b[1] - a[1]);
    process.stdout.write(`    CPU seconds: ${spent.map(([n, v]) => `${n} ${v}`).join(', ')}\n`);
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
  const cpuBefore = cpuByProcess(platform, secondPid);
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
  const cpuAfter = cpuByProcess(platform, secondPid);
  /** CPU seconds each process spent on the measured work: where the two cores went. */
  const cpu = Object.fromEntries(
    Object.entries(cpuAfter).map(([name, s]) => [
      name,
      Number((s - (cpuBefore[name] ?? 0)).toFixed(1)),
    ]),
  );
  return {
    label,
    seconds: Number(seconds.toFixed(2)),
    start_seconds: Number(((startedAll - started) / 1000).toFixed(2)),
    steps_per_s: Math.round((RUNS * 3) / seconds),
    engine_rss_mb: rss.map((v) => Math.round(v)),
    cpu_seconds: cpu,
  };
}

/**
 * CPU seconds (user + system) used so far by each service, the second engine,
 * Postgres, the Kafka broker and this process (the load generator and the
 * no-op worker), from /proc.
 * @param {any} platform
 * @param {number} [secondPid]
 */
function cpuByProcess(platform, secondPid) {
  /** @type {Record<string, number>} */
  const out = {};
  for (const s of platform.services) out[s.name] = cpuSeconds(s.child.pid);
  if (secondPid) out['workflow-engine (2nd)'] = cpuSeconds(secondPid);
  out['bench + worker'] = cpuSeconds(process.pid);
  out.postgres = sumOver((cmd) => cmd.startsWith('postgres') || cmd.includes('/bin/postgres '));
  out.kafka = sumOver((cmd) => cmd.includes('kafka.Kafka'));
  return out;
}

/** @param {(cmdline: string) => boolean} match */
function sumOver(match) {
  let total = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (match(cmd)) total += cpuSeconds(Number(pid));
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

/** @param {number} pid */
function cpuSeconds(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime are fields 14 and 15 of stat; after "pid (comm) " they are 11 and 12.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
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
