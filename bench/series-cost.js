// @ts-check
'use strict';

const fs = require('node:fs');
const { processCpuMs, brokerProcessId, databaseTransactions } = require('./service-cost');

/**
 * What one series of a benchmark cost the processes that served it, counted
 * so that two series of different lengths compare on a shared machine:
 * only this checkout's broker (not every Kafka on the machine) and only the
 * Postgres backends connected to the bench database (not the server's
 * other databases and its shared background processes), and each process's
 * idle rate, measured just before the series, taken off what it spent.
 * Without that, a series that lasts four times as long is charged four times
 * the idle pollers and four times whatever the machine's other brokers and
 * databases did meanwhile.
 */

/**
 * The processes to watch: each service (and `extra` pids by name), this
 * process (the load generator and the no-op worker), the broker this checkout
 * started, and the bench database's Postgres backends.
 * @param {{ services: { name: string, child: { pid?: number } }[], databaseUrl: string }} platform
 * @param {Record<string, number>} [extra]
 * @returns {Record<string, () => number>} CPU ms so far, by name
 */
function watchedProcesses(platform, extra = {}) {
  /** @type {Record<string, () => number>} */
  const out = {};
  for (const s of platform.services) out[s.name] = () => processCpuMs(s.child.pid);
  for (const [name, pid] of Object.entries(extra)) out[name] = () => processCpuMs(pid);
  out['bench + worker'] = () => processCpuMs(process.pid);
  const broker = brokerProcessId();
  if (broker) out.kafka = () => processCpuMs(broker);
  const database = new URL(platform.databaseUrl).pathname.slice(1);
  const backends = backendsCpuCounter(database);
  backends(); // backends that run already count from now
  out.postgres = backends;
  return out;
}

/**
 * CPU ms of each Postgres backend now connected to `database`, by pid (their
 * process title is `postgres: <cluster>: <user> <database> <client> <state>`).
 * @param {string} database
 * @returns {Map<number, number>}
 */
function databaseBackendsCpuMs(database) {
  const out = new Map();
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const title = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (!title.startsWith('postgres:') || !title.split(' ').includes(database)) continue;
      const ms = processCpuMs(Number(pid));
      if (!Number.isNaN(ms)) out.set(Number(pid), ms);
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

/**
 * A reader of the CPU ms the bench database's backends spent since it was
 * made: a backend that ended is counted up to when it was last seen, one that
 * began counts from zero; a plain sum over the live ones went down whenever a
 * pool closed an idle connection.
 * @param {string} database
 */
function backendsCpuCounter(database) {
  /** @type {Map<number, number>} */
  const last = new Map();
  let total = 0;
  return () => {
    for (const [pid, ms] of databaseBackendsCpuMs(database)) {
      total += ms - (last.get(pid) ?? 0);
      last.set(pid, ms);
    }
    return total;
  };
}

/** @param {Record<string, () => number>} processes */
function snapshot(processes) {
  return {
    at: Date.now(),
    cpu: Object.fromEntries(Object.entries(processes).map(([name, read]) => [name, read()])),
  };
}

/**
 * Starts measuring a series: first `idleMs` of the processes' idle rate (after
 * `settleMs` for the previous series' tail), then the series itself until
 * `finish()` is called; Postgres transactions in the bench database too.
 * @param {Record<string, () => number>} processes
 * @param {string} databaseUrl
 * @param {{ settleMs?: number, idleMs?: number }} [options]
 */
async function startSeriesCost(processes, databaseUrl, options = {}) {
  const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));
  await sleep(options.settleMs ?? 3000);
  const idleStart = snapshot(processes);
  await sleep(options.idleMs ?? 5000);
  const start = snapshot(processes);
  const transactionsBefore = await databaseTransactions(databaseUrl);
  return {
    /** CPU seconds by process, as spent and above the idle rate, over the series. */
    async finish() {
      const end = snapshot(processes);
      // Each backend flushes its statistics about once a second.
      await sleep(1200);
      const transactions = (await databaseTransactions(databaseUrl)) - transactionsBefore;
      const span = end.at - start.at;
      const idleSpan = start.at - idleStart.at;
      /** @type {Record<string, number>} */
      const spent = {};
      /** @type {Record<string, number>} */
      const aboveIdle = {};
      for (const name of Object.keys(processes)) {
        const busy = end.cpu[name] - start.cpu[name];
        const idle = ((start.cpu[name] - idleStart.cpu[name]) * span) / idleSpan;
        spent[name] = Number((busy / 1000).toFixed(1));
        aboveIdle[name] = Number(((busy - idle) / 1000).toFixed(1));
      }
      return { spent, aboveIdle, transactions };
    },
  };
}

/**
 * Messages written to each topic so far (the sum of its partitions' high
 * watermarks), for what one run or start produces.
 * @param {import('kafkajs').Admin} admin
 */
async function topicOffsets(admin) {
  /** @type {Record<string, number>} */
  const out = {};
  for (const topic of await admin.listTopics()) {
    if (topic.startsWith('__')) continue;
    const partitions = await admin.fetchTopicOffsets(topic);
    out[topic] = partitions.reduce((sum, p) => sum + Number(p.high), 0);
  }
  return out;
}

/**
 * Messages per run on each topic between two `topicOffsets`, largest first,
 * topics with fewer than 0.05 per run left out.
 * @param {Record<string, number>} before @param {Record<string, number>} after @param {number} runs
 */
function messagesPerRun(before, after, runs) {
  return Object.fromEntries(
    Object.entries(after)
      .map(([topic, n]) => [topic, Number(((n - (before[topic] ?? 0)) / runs).toFixed(2))])
      .filter(([, perRun]) => Number(perRun) >= 0.05)
      .sort((a, b) => Number(b[1]) - Number(a[1])),
  );
}

module.exports = { watchedProcesses, startSeriesCost, topicOffsets, messagesPerRun };
