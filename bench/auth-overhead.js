#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * What authentication adds to a gateway request, in one run: the same
 * closed-loop requests (one at a time, keep-alive) interleaved in rounds, so
 * that the load of a shared machine falls on every series alike.
 *
 *   public         GET /.well-known/openid-configuration, no credential (a route without auth)
 *   no_credential  GET /v1/audit?limit=0 without a credential: 401 from the guard (for
 *                  reference only: every refused request also publishes an audit entry)
 *   jwt            GET /v1/audit?limit=0 with a Baton JWT (verified locally): 422 from validation
 *   api_key        GET /v1/audit?limit=0 with a cached API key: 422 from validation
 *
 * `limit=0` fails validation in the gateway, so no series waits on Kafka:
 * jwt − public and api_key − public are what the door adds (credential,
 * role check, validation, problem document). Beside them, the ES256
 * verification alone (jose's jwtVerify with the gateway's kind of local key
 * set), measured in this process.
 * Usage: npm run build && node bench/auth-overhead.js
 */
const fs = require('node:fs');
const { URLSearchParams } = require('node:url');
const path = require('node:path');
const { startBenchPlatform } = require('./bench-platform');
const { summarize, machine, runMain } = require('./stats');

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
const PER_ROUND = Number(process.env.BENCH_PER_ROUND ?? 50);
const WARMUP = 200;
const log = (/** @type {string} */ line) => process.stderr.write(`${line}\n`);

async function main() {
  const platform = await startBenchPlatform({
    log,
    // Only the gateway and the owner of credentials take part.
    skip: ['agent-manager', 'workflow-engine', 'integration-manager', 'event-manager'],
    // "Cached API key": the cache must outlive the run, or some requests re-verify over Kafka.
    extraEnv: { AUTH_CACHE_TTL_MS: '3600000' },
  });
  try {
    const url = platform.gatewayUrl;
    const admin = { authorization: `Bearer ${platform.apiKey}` };
    const created = await fetch(`${url}/v1/oauth-clients`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bench', role: 'admin' }),
    });
    const client = /** @type {{ client_id: string, client_secret: string }} */ (
      await created.json()
    );
    const token = /** @type {{ access_token: string }} */ (
      await (
        await fetch(`${url}/oauth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: client.client_id,
            client_secret: client.client_secret,
          }),
        })
      ).json()
    ).access_token;
    if (!token) throw new Error('no token from /oauth/token');

    /** @type {Record<string, { path: string, headers: Record<string, string>, status: number }>} */
    const series = {
      public: { path: '/.well-known/openid-configuration', headers: {}, status: 200 },
      no_credential: { path: '/v1/audit?limit=0', headers: {}, status: 401 },
      jwt: {
        path: '/v1/audit?limit=0',
        headers: { authorization: `Bearer ${token}` },
        status: 422,
      },
      api_key: { path: '/v1/audit?limit=0', headers: admin, status: 422 },
    };
    const once = async (/** @type {string} */ name) => {
      const { path: route, headers, status } = series[name];
      const started = process.hrtime.bigint();
      const response = await fetch(url + route, { headers });
      await response.arrayBuffer();
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (response.status !== status) {
        throw new Error(`${name}: ${route} answered ${response.status}, not ${status}`);
      }
      return ms;
    };
    log('warming up…');
    for (const name of Object.keys(series)) for (let i = 0; i < WARMUP; i++) await once(name);

    /** @type {Record<string, number[]>} */
    const samples = Object.fromEntries(Object.keys(series).map((name) => [name, []]));
    log(`${ROUNDS} rounds of ${PER_ROUND} requests per series…`);
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of Object.keys(series)) {
        for (let i = 0; i < PER_ROUND; i++) samples[name].push(await once(name));
      }
    }
    const stats = Object.fromEntries(
      Object.entries(samples).map(([name, values]) => [name, summarize(values)]),
    );
    const added = (/** @type {string} */ name, /** @type {string} */ base) => ({
      p50: Math.round((stats[name].p50 - stats[base].p50) * 100) / 100,
      mean: Math.round((stats[name].mean - stats[base].mean) * 100) / 100,
    });
    const result = {
      date: new Date().toISOString(),
      machine: machine(),
      rounds: ROUNDS,
      per_round: PER_ROUND,
      latency_ms: stats,
      added_ms: {
        jwt_vs_public: added('jwt', 'public'),
        api_key_vs_public: added('api_key', 'public'),
      },
      jwt_verify_in_process_ms: await verifyCost(url, token),
    };
    fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
    fs.writeFileSync(
      path.join(__dirname, 'results', 'auth-overhead.json'),
      JSON.stringify(result, null, 2),
    );
    const line = (/** @type {ReturnType<typeof summarize>} */ s) =>
      `p50 ${s.p50} ms   p99 ${s.p99} ms   mean ${s.mean} ms   (n ${s.n})`;
    const delta = (/** @type {{ p50: number, mean: number }} */ d) =>
      `p50 ${d.p50} ms   mean ${d.mean} ms`;
    process.stdout.write(`
gateway authentication overhead (${result.machine})
  public route, no credential     ${line(stats.public)}
  401, no credential              ${line(stats.no_credential)}
  Baton JWT (verified locally)    ${line(stats.jwt)}
  API key (cached by digest)      ${line(stats.api_key)}
added per request
  JWT     vs public route         ${delta(result.added_ms.jwt_vs_public)}
  API key vs public route         ${delta(result.added_ms.api_key_vs_public)}
ES256 verification alone          ${line(result.jwt_verify_in_process_ms)}
`);
  } finally {
    await platform.stop();
  }
}

/**
 * jose's jwtVerify of the token against a local key set built from the
 * published JWKS, as the gateway does it, N times in this process.
 * @param {string} url
 * @param {string} token
 */
async function verifyCost(url, token) {
  const { createLocalJWKSet, jwtVerify } = require('jose');
  const jwks = createLocalJWKSet(await (await fetch(`${url}/.well-known/jwks.json`)).json());
  /** @type {number[]} */
  const times = [];
  for (let i = 0; i < 2200; i++) {
    const started = process.hrtime.bigint();
    await jwtVerify(token, jwks, { algorithms: ['ES256'], typ: 'at+jwt' });
    if (i >= 200) times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return summarize(times);
}

runMain(main);
