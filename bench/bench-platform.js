// @ts-check
'use strict';

const path = require('node:path');
const { randomBytes } = require('node:crypto');
const { ensureInfra } = require('../scripts/infra');
const { SERVICES } = require('../scripts/platform/services');
const { startService, waitReady, stopServices, ROOT } = require('../scripts/platform/launcher');
const { freshDatabase } = require('../scripts/platform/database');

// Two checkouts on one machine each need their own ports and database.
const BENCH_PORT_OFFSET = Number(process.env.BATON_BENCH_PORT_OFFSET || 2100);
const BENCH_DATABASE = process.env.BATON_BENCH_DATABASE || 'baton_bench';
/** How long each service may take to be ready (a loaded machine needs more). */
const READY_TIMEOUT_MS = Number(process.env.BATON_BENCH_READY_TIMEOUT_MS || 120_000);

/**
 * Starts the platform for a benchmark: real Kafka and Postgres, a fresh
 * `baton_bench` database and the six services as their own processes.
 * `skip` leaves services out; `startLater(name)` starts one of them afterwards.
 * @param {{ log: (line: string) => void, extraEnv?: Record<string, string>, skip?: string[] }} options
 */
async function startBenchPlatform(options) {
  const infra = await ensureInfra({ log: options.log });
  const databaseUrl = await freshDatabase(infra.databaseUrl, BENCH_DATABASE);
  const apiKey = `bk_bench_${randomBytes(24).toString('base64url')}`;
  const env = {
    KAFKA_BROKERS: infra.kafkaBrokers,
    DATABASE_URL: databaseUrl,
    BATON_BOOTSTRAP_API_KEY: apiKey,
    LOG_LEVEL: 'warn',
    // Benchmarks measure throughput, not the request limits (which they would reach at once).
    RATE_LIMIT_REQUESTS_PER_KEY: '100000000',
    RATE_LIMIT_REQUESTS_PER_WORKSPACE: '100000000',
    SSE_MAX_STREAMS_PER_WORKSPACE: '100000',
    ...options.extraEnv,
  };
  const logDir = path.join(ROOT, '.cache', 'bench-logs');
  const launch = (/** @type {{ name: string, port: number }} */ s) =>
    startService({ name: s.name, port: s.port + BENCH_PORT_OFFSET, env, logDir });
  const services = SERVICES.filter((s) => !options.skip?.includes(s.name)).map(launch);
  try {
    await Promise.all(services.map((s) => waitReady(s, READY_TIMEOUT_MS)));
  } catch (error) {
    // The ones that did start would otherwise outlive the benchmark.
    await stopServices(services);
    throw error;
  }
  const gateway = services.find((s) => s.name === 'gateway');
  const gatewayUrl = `http://127.0.0.1:${gateway?.port}`;
  return {
    infra,
    apiKey,
    gatewayUrl,
    /**
     * One call of the gateway's API as the bootstrap admin (or with `key`):
     * the parsed answer, or an error naming the route and status.
     * @param {string} method @param {string} route @param {unknown} [body] @param {string} [key]
     */
    api: (method, route, body, key = apiKey) => gatewayCall(gatewayUrl, key, method, route, body),
    databaseUrl,
    services,
    env,
    /** @param {string} name */
    startLater: async (name) => {
      const spec = SERVICES.find((s) => s.name === name);
      if (!spec) throw new Error(`no service ${name}`);
      const service = launch(spec);
      services.push(service);
      await waitReady(service, READY_TIMEOUT_MS);
      return service;
    },
    stop: () => stopServices(services),
  };
}

/**
 * @param {string} gatewayUrl @param {string} key @param {string} method @param {string} route
 * @param {unknown} body
 */
async function gatewayCall(gatewayUrl, key, method, route, body) {
  const response = await fetch(`${gatewayUrl}${route}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

module.exports = { startBenchPlatform };
