// @ts-check
'use strict';

// Postgres for local development: DATABASE_URL if set, else the embedded server we started earlier
// (so a running setup does not switch databases under the services), else the machine's own
// server on 5432 (trust auth), else a fresh embedded server.
const embedded = require('./embedded-postgres');
const { InfraError } = require('./errors');

const DATABASE = 'baton';
const LOCAL_USERS = ['postgres', 'root'];
const localUrl = (/** @type {string} */ user, /** @type {string} */ db) =>
  `postgres://${user}@127.0.0.1:5432/${db}`;

/** URL safe for logs and error messages. @param {string} url */
function redact(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

/**
 * Runs `fn` on a short-lived connection. pg is required lazily so `infra:status` can explain a
 * missing `npm install` instead of crashing on load.
 * @template T
 * @param {string} url
 * @param {(client: import('pg').Client) => Promise<T>} fn
 * @returns {Promise<T>}
 */
async function withClient(url, fn) {
  const { Client } = require('pg');
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => {}); // a server going away must not crash the CLI
  try {
    await client.connect();
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * @param {string} url
 * @returns {Promise<{ ok: boolean, error?: string, code?: string }>}
 */
async function tryConnect(url) {
  try {
    await withClient(url, (client) => client.query('SELECT 1'));
    return { ok: true };
  } catch (err) {
    const e = /** @type {Error & { code?: string }} */ (err);
    return { ok: false, error: e.message || String(err), code: e.code };
  }
}

/**
 * Creates the database named in `url` if it does not exist, via the `postgres` database of the
 * same server with the same credentials.
 * @param {string} url
 * @param {(msg: string) => void} log
 */
async function ensureDatabase(url, log) {
  const probe = await tryConnect(url);
  if (probe.ok) return;
  if (probe.code !== '3D000') {
    throw new InfraError(`cannot connect to ${redact(url)}: ${probe.error}`);
  }
  const parsed = new URL(url);
  const name = decodeURIComponent(parsed.pathname.slice(1));
  parsed.pathname = '/postgres';
  log(`postgres: creating database "${name}"`);
  try {
    await withClient(parsed.toString(), async (client) => {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    });
  } catch (err) {
    const e = /** @type {Error & { code?: string }} */ (err);
    // 42P04 / 23505: another `up` created it between our check and our CREATE.
    if (e.code !== '42P04' && e.code !== '23505') {
      throw new InfraError(`cannot create database "${name}" on ${redact(url)}: ${e.message}`);
    }
  }
}

/** First user the local server on 5432 lets in without a password, if it answers at all. */
async function localServerUser() {
  for (const user of LOCAL_USERS) {
    if ((await tryConnect(localUrl(user, 'postgres'))).ok) return user;
  }
  return undefined;
}

/**
 * @param {{ log: (msg: string) => void }} opts
 * @returns {Promise<string>} database URL
 */
async function ensurePostgres({ log }) {
  const configured = process.env.DATABASE_URL;
  if (configured) {
    await ensureDatabase(configured, log);
    log(`postgres: using DATABASE_URL=${redact(configured)}`);
    return configured;
  }

  if (embedded.embeddedPid()) {
    const url = await embedded.ensureEmbeddedPostgres({ log, tryConnect });
    await ensureDatabase(url, log);
    log(`postgres: reusing embedded Postgres at ${redact(url)}`);
    return url;
  }

  const user = await localServerUser();
  if (user) {
    const url = localUrl(user, DATABASE);
    await ensureDatabase(url, log);
    log(`postgres: using the local server at ${url}`);
    return url;
  }

  const url = await embedded.ensureEmbeddedPostgres({ log, tryConnect });
  await ensureDatabase(url, log);
  log(`postgres: embedded Postgres ready at ${redact(url)}`);
  return url;
}

/** @param {{ log: (msg: string) => void }} opts */
async function stopPostgres({ log }) {
  if (process.env.DATABASE_URL) {
    log('postgres: DATABASE_URL is external; leaving it alone');
    return;
  }
  if (embedded.embeddedExists()) {
    await embedded.stopEmbeddedPostgres({ log });
  } else {
    log('postgres: using a server baton did not start; leaving it alone');
  }
}

/** Mirrors ensurePostgres' choice without creating or starting anything. */
async function postgresStatus() {
  const configured = process.env.DATABASE_URL;
  if (configured) {
    return { url: configured, running: (await tryConnect(configured)).ok, managed: false };
  }
  const pid = embedded.embeddedPid();
  if (pid) {
    const url = embedded.EMBEDDED_DATABASE_URL;
    return { url, running: (await tryConnect(url)).ok, managed: true, pid };
  }
  const user = await localServerUser();
  if (user) return { url: localUrl(user, DATABASE), running: true, managed: false };
  if (embedded.embeddedExists()) {
    return { url: embedded.EMBEDDED_DATABASE_URL, running: false, managed: true };
  }
  return { url: localUrl(LOCAL_USERS[0], DATABASE), running: false, managed: false };
}

module.exports = { ensurePostgres, stopPostgres, postgresStatus, redact, tryConnect };
