// @ts-check
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

/**
 * What a request costs the platform, in figures that do not change with the
 * machine's load (latency does): CPU milliseconds each service process spent
 * (user + system, from /proc/<pid>/stat) and Postgres transactions committed
 * in the bench database (pg_stat_database; a statement outside a transaction
 * is one), per request; the Kafka broker's CPU too when this checkout started it. On a shared machine these compare between runs where
 * latencies do not.
 */

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU ms (user + system) a process has used so far; NaN where /proc is not there. @param {number | undefined} pid */
function processCpuMs(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (2nd field) may hold spaces: count fields after its closing paren.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

/** The pid of the Kafka broker scripts/infra started for this checkout, if it runs. */
function brokerProcessId() {
  try {
    const pid = Number(
      fs.readFileSync(path.join(__dirname, '..', '.cache', 'kafka', 'kafka.pid'), 'utf8').trim(),
    );
    return Number.isNaN(processCpuMs(pid)) ? undefined : pid;
  } catch {
    return undefined;
  }
}

/**
 * Commits + rollbacks in the database so far. The statistics are flushed by
 * each backend at most about once a second, so read after a pause.
 * @param {string} databaseUrl
 */
async function databaseTransactions(databaseUrl) {
  const { Client } = require('pg');
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()`,
    );
    return Number(rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

/**
 * Measures `work` (which answers how many requests completed): CPU ms per
 * request of each service and Postgres transactions per request, less what
 * the platform spends idle over the same time (measured just before, for
 * `idleMs`).
 * @template {{ completed: number }} T
 * @param {{ services: { name: string, child: { pid?: number } }[], databaseUrl: string, idleMs?: number }} platform
 * @param {() => Promise<T>} work
 */
async function measureCost(platform, work) {
  const idleMs = platform.idleMs ?? 3000;
  // The broker this checkout started (scripts/infra), when there is one: each request crosses it.
  const brokerPid = brokerProcessId();
  const processes = [
    ...platform.services.map((s) => ({ name: s.name, pid: s.child.pid })),
    ...(brokerPid ? [{ name: 'kafka broker', pid: brokerPid }] : []),
  ];
  const snapshot = async () => ({
    at: Date.now(),
    cpu: Object.fromEntries(processes.map((p) => [p.name, processCpuMs(p.pid)])),
    transactions: await databaseTransactions(platform.databaseUrl),
  });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 1200));
  await settle();
  const idleStart = await snapshot();
  await new Promise((resolve) => setTimeout(resolve, idleMs));
  await settle();
  const start = await snapshot();
  const result = await work();
  await settle();
  const end = await snapshot();
  const idleSpan = start.at - idleStart.at;
  const span = end.at - start.at;
  const perRequest = (/** @type {number} */ busy, /** @type {number} */ idle) =>
    Math.round(((busy - (idle * span) / idleSpan) / Math.max(result.completed, 1)) * 1000) / 1000;
  /** @type {Record<string, number>} */
  const cpuMsPerRequest = {};
  for (const { name } of processes) {
    cpuMsPerRequest[name] = perRequest(
      end.cpu[name] - start.cpu[name],
      start.cpu[name] - idleStart.cpu[name],
    );
  }
  return {
    result,
    cost: {
      cpu_ms_per_request: cpuMsPerRequest,
      cpu_ms_per_request_total:
        Math.round(Object.values(cpuMsPerRequest).reduce((a, b) => a + b, 0) * 1000) / 1000,
      pg_transactions_per_request: perRequest(
        end.transactions - start.transactions,
        start.transactions - idleStart.transactions,
      ),
    },
  };
}

/** One line of a cost. @param {Awaited<ReturnType<typeof measureCost>>['cost']} cost */
function costLine(cost) {
  const parts = Object.entries(cost.cpu_ms_per_request)
    .filter(([, ms]) => Math.abs(ms) >= 0.01)
    .map(([name, ms]) => `${name} ${ms}`);
  return `CPU ms/request ${cost.cpu_ms_per_request_total} (${parts.join(', ')}); Postgres transactions/request ${cost.pg_transactions_per_request}`;
}

module.exports = { measureCost, costLine, processCpuMs, brokerProcessId, databaseTransactions };
