#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * What the connector layer adds to one call, in one run, on one process:
 * - `http`: a GET through ConnectionRuntime + HttpConnector (input check,
 *   bulkhead, token bucket, breaker, timeout, the address guard's dispatcher,
 *   bearer auth, response parsing, metrics) against the same local server
 *   called with a bare undici `fetch` on a keep-alive pool;
 * - `postgres`: `query` through the connector (pool per connection,
 *   read-only transaction, cursor, row cap) against a bare `pg` Pool query of
 *   the same statement on the same server.
 * Calls alternate in blocks so both sides see the same moments of a loaded
 * machine. Workflow-step overhead (Kafka, engine) is bench/per-step-overhead.js.
 * Usage: npm run build && node bench/connector-overhead.js
 * (DATABASE_URL, else the local server at 127.0.0.1:5432, user postgres).
 */
const path = require('node:path');
const { createServer } = require('node:http');
const { performance } = require('node:perf_hooks');
const { summarize, machine, runMain } = require('./stats');

const ROOT = path.resolve(__dirname, '..');
const CALLS = Number(process.env.BENCH_CALLS ?? 2000);
const BLOCKS = Number(process.env.BENCH_BLOCKS ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 500);
const log = (/** @type {string} */ line) => process.stderr.write(`${line}\n`);

/** @param {string} file */
const dist = (file) =>
  require(path.join(ROOT, 'dist/apps/integration-manager/src/connectors', file));

async function main() {
  const { ConnectionRuntime } = dist('connection-runtime.js');
  const { HttpConnector } = dist('http/http.connector.js');
  const { SqlConnector } = dist('sql/sql-connector.js');
  const { postgresDriver } = dist('sql/postgres.driver.js');
  const { TargetPolicy, parseAllowedNetworks } = dist('target-policy.js');
  const { Agent, fetch } = require('undici');
  const { Pool } = require('pg');

  const body = JSON.stringify({ id: 'C-42', status: 'open', subject: 'charged twice' });
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  const base = `http://127.0.0.1:${address.port}`;

  const policy = new TargetPolicy(parseAllowedNetworks('127.0.0.0/8'));
  const http = new HttpConnector({ http: policy.http() });
  const httpTarget = {
    key: 'bench/crm',
    name: 'crm',
    config: { base_url: base, auth: { type: 'bearer' } },
    secrets: { token: 'bench-token' },
  };
  const httpRuntime = new ConnectionRuntime(http, 'bench', 'crm', 1, httpTarget.config);
  const request = http.operations.get('request');
  const httpInput = { method: 'GET', path: '/cases/{id}', path_params: { id: 'C-42' } };
  const bareAgent = new Agent();
  const viaConnector = async () => {
    request.check(httpInput, httpTarget);
    await httpRuntime.call(request, httpTarget, httpInput);
  };
  const direct = async () => {
    const response = await fetch(`${base}/cases/C-42`, {
      headers: { authorization: 'Bearer bench-token', accept: 'application/json' },
      dispatcher: bareAgent,
    });
    JSON.parse(await response.text());
  };

  const db = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const sql = new SqlConnector('postgres', 'bench', postgresDriver, policy);
  const pgTarget = {
    key: 'bench/db',
    name: 'db',
    config: {
      host: db.hostname,
      port: Number(db.port || 5432),
      database: db.pathname.slice(1) || 'postgres',
      user: decodeURIComponent(db.username) || 'postgres',
      pool_size: 5,
    },
    secrets: db.password ? { password: decodeURIComponent(db.password) } : {},
  };
  const pgRuntime = new ConnectionRuntime(sql, 'bench', 'db', 1, pgTarget.config);
  const query = sql.operations.get('query');
  const statement = 'SELECT n, md5(n::text) AS h FROM generate_series(1, 10) AS n WHERE n > $1';
  const pgInput = { sql: statement, params: [0] };
  const bare = new Pool({ connectionString: db.href, max: 5 });
  const viaPgConnector = async () => {
    query.check(pgInput, pgTarget);
    await pgRuntime.call(query, pgTarget, pgInput);
  };
  const barePg = async () => {
    await bare.query(statement, [0]);
  };

  /** @param {() => Promise<void>} fn @param {number} n @param {number[]} into */
  const time = async (fn, n, into) => {
    for (let i = 0; i < n; i++) {
      const started = performance.now();
      await fn();
      into.push(performance.now() - started);
    }
  };
  const pairs = {
    'http connector': viaConnector,
    'http direct (undici)': direct,
    'postgres connector query': viaPgConnector,
    'postgres bare pg': barePg,
  };
  /** @type {Record<string, number[]>} */
  const samples = Object.fromEntries(Object.keys(pairs).map((k) => [k, []]));
  log(`warming up (${WARMUP} calls each)…`);
  for (const fn of Object.values(pairs)) await time(fn, WARMUP, []);
  const perBlock = Math.ceil(CALLS / BLOCKS);
  for (let block = 0; block < BLOCKS; block++) {
    for (const [name, fn] of Object.entries(pairs)) await time(fn, perBlock, samples[name]);
  }

  const stats = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(v)]));
  const overhead = (/** @type {string} */ a, /** @type {string} */ b) => ({
    added_mean_ms: Math.round((stats[a].mean - stats[b].mean) * 100) / 100,
    added_p50_ms: Math.round((stats[a].p50 - stats[b].p50) * 100) / 100,
    ratio_p50: Math.round((stats[a].p50 / stats[b].p50) * 100) / 100,
  });
  const result = {
    machine: machine(),
    calls_each: perBlock * BLOCKS,
    latency_ms: stats,
    http_overhead: overhead('http connector', 'http direct (undici)'),
    postgres_overhead: overhead('postgres connector query', 'postgres bare pg'),
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);

  httpRuntime.shutdown();
  pgRuntime.shutdown();
  await Promise.all([http.close(), sql.close(), bare.end(), bareAgent.close()]);
  await new Promise((resolve) => server.close(() => resolve(undefined)));
}

runMain(main);
