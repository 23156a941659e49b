#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * A no-op agent in a process of its own, as users run agents: an SDK
 * AgentWorker that answers every task with its input. Started by the
 * benchmarks through `startNoopAgent`; it says `ready` on stdout once its
 * consumer has joined, and stops cleanly on SIGTERM.
 * Env: BENCH_AGENT (name), KAFKA_BROKERS, BENCH_AGENT_CONCURRENCY (default 1).
 */
const path = require('node:path');
const { spawn } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');

async function serve() {
  const { AgentWorker } = require(path.join(ROOT, 'dist/libs/sdk/src'));
  const worker = new AgentWorker({
    agent: process.env.BENCH_AGENT,
    handler: (/** @type {unknown} */ input) => input,
    brokers: String(process.env.KAFKA_BROKERS).split(','),
    concurrency: Number(process.env.BENCH_AGENT_CONCURRENCY ?? 1),
  });
  await worker.start();
  process.stdout.write('ready\n');
  process.once('SIGTERM', () => {
    worker.stop().finally(() => process.exit(0));
  });
}

/**
 * Starts the agent's process and resolves once it serves; `stop()` ends it.
 * @param {{ agent: string, brokers: string, concurrency?: number }} options
 */
function startNoopAgent(options) {
  const child = spawn(process.execPath, [path.join(__dirname, 'noop-agent-process.js')], {
    env: {
      ...process.env,
      BENCH_AGENT: options.agent,
      KAFKA_BROKERS: options.brokers,
      BENCH_AGENT_CONCURRENCY: String(options.concurrency ?? 1),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    const failed = (/** @type {number | null} */ code) =>
      reject(new Error(`the no-op agent exited with ${code}`));
    child.once('exit', failed);
    child.stdout.on('data', (chunk) => {
      if (!String(chunk).includes('ready')) return;
      child.off('exit', failed);
      resolve({
        pid: child.pid,
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}

if (require.main === module) {
  serve().catch((error) => {
    process.stderr.write(`no-op agent failed: ${error.stack ?? error}\n`);
    process.exit(1);
  });
}

module.exports = { startNoopAgent };
