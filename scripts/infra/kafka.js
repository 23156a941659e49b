// @ts-check
'use strict';

// Kafka for local development: an explicitly configured cluster, else a broker already answering
// on the Baton port (usually one we started earlier), else a fresh single-node KRaft broker.
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const paths = require('./paths');
const { InfraError, tailFile } = require('./errors');
const { checkKafkaPrerequisites } = require('./prerequisites');
const { ensureKafkaJars, resolvedKafkaVersion } = require('./kafka-jars');
const {
  kafkaPort,
  kafkaSecurityMode,
  writeKafkaConfig,
  writtenPort,
  writtenSecurityMode,
  newClusterId,
} = require('./kafka-config');
const { ensureCredentials, kafkajsSasl, scramFormatArgs } = require('./kafka-sasl');
const { isAlive, livePid, sleep, spawnDetached, stopPid } = require('./process');

const START_TIMEOUT_MS = 120_000;
/** Written into the data directory when it is formatted with the SCRAM users of credentials.json. */
const SCRAM_MARKER = path.join(paths.kafka.data, 'baton-scram-users');
/** Our broker's command line names our server.properties: that is how we recognise it. */
const CMDLINE_MARKER = paths.kafka.serverProperties;

/** @param {string} brokers */
const brokerList = (brokers) =>
  brokers
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);

/**
 * One metadata round trip. kafkajs is required lazily so that `infra:status` and the error paths
 * work even before `npm install` finished.
 * @param {string} brokers comma-separated host:port list
 * @param {import('./kafka-sasl').Credential} [as] SASL/SCRAM credential (a SASL broker)
 * @returns {Promise<{ ok: true } | { ok: false, error: string }>}
 */
async function probeKafka(brokers, as) {
  const { Kafka, logLevel } = require('kafkajs');
  const kafka = new Kafka({
    clientId: 'baton-infra',
    brokers: brokerList(brokers),
    ...(as ? { sasl: kafkajsSasl(as) } : {}),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: 3000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.listTopics();
    return { ok: true };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/**
 * @param {number} port
 * @returns {Promise<boolean>}
 */
function isPortOpen(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    const done = (/** @type {boolean} */ open) => {
      socket.destroy();
      resolve(open);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

const localBrokers = () => `127.0.0.1:${kafkaPort()}`;

/** The broker we started, if it is still running, and the port it listens on. */
function managedBroker() {
  const pid = livePid(paths.kafka.pidFile, CMDLINE_MARKER);
  return pid ? { pid, port: writtenPort(), mode: writtenSecurityMode() } : undefined;
}

function serverLogTails() {
  return [
    tailFile(path.join(paths.kafka.logs, 'server.out'), 20),
    tailFile(path.join(paths.kafka.logs, 'server.log'), 40),
  ].join('\n');
}

/**
 * @param {string[]} args
 * @param {string} [log4jProperties]
 */
function javaArgs(args, log4jProperties = paths.kafka.log4jProperties) {
  return [
    `-Dlog4j.configuration=file:${log4jProperties.replace(/\\/g, '/')}`,
    '-cp',
    path.join(paths.kafka.libs, '*'),
    ...args,
  ];
}

/**
 * KRaft needs its storage formatted with a cluster id once; after that the id lives in
 * meta.properties and restarts reuse the existing data.
 * @param {string} java
 * @param {(msg: string) => void} log
 * @param {{ data: string, serverProperties: string, log4jProperties: string }} [dir]
 * @param {string[]} [extraArgs] e.g. --add-scram users created with the cluster
 */
function formatStorageOnce(java, log, dir = paths.kafka, extraArgs = []) {
  if (fs.existsSync(path.join(dir.data, 'meta.properties'))) return;
  const clusterId = newClusterId();
  log(`kafka: formatting ${dir.data} (cluster id ${clusterId})`);
  const run = spawnSync(
    java,
    javaArgs(
      [
        'kafka.tools.StorageTool',
        'format',
        '-t',
        clusterId,
        '-c',
        dir.serverProperties,
        ...extraArgs,
      ],
      dir.log4jProperties,
    ),
    { cwd: paths.repoRoot, encoding: 'utf8' },
  );
  if (run.error || run.status !== 0) {
    throw new InfraError(
      `kafka storage format failed (exit ${run.status ?? run.error?.message})`,
      `${run.stdout ?? ''}${run.stderr ?? ''}`.trim(),
    );
  }
}

/**
 * Polls until the broker answers a metadata request; fails fast if the JVM dies.
 * @param {number} pid
 * @param {string} brokers
 * @param {{ stopOnTimeout: boolean, as?: import('./kafka-sasl').Credential }} opts
 */
async function waitForBroker(pid, brokers, { stopOnTimeout, as }) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let lastError = 'no answer yet';
  while (Date.now() < deadline) {
    if (!isAlive(pid)) {
      fs.rmSync(paths.kafka.pidFile, { force: true });
      throw new InfraError(`the Kafka broker (pid ${pid}) exited during startup`, serverLogTails());
    }
    const probe = await probeKafka(brokers, as);
    if (probe.ok) return;
    lastError = probe.error;
    await sleep(500);
  }
  if (stopOnTimeout) {
    // A broker this call started and that is not up after two minutes is wedged; don't leave it
    // holding the ports.
    await stopPid(pid, { graceMs: 5000, cmdlineMarker: CMDLINE_MARKER });
    fs.rmSync(paths.kafka.pidFile, { force: true });
  }
  throw new InfraError(
    `the Kafka broker did not answer on ${brokers} within ${START_TIMEOUT_MS / 1000} s (${lastError})`,
    serverLogTails(),
  );
}

/**
 * @param {(msg: string) => void} log
 * @returns {Promise<number>} pid
 */
async function startBroker(log) {
  const { java, mvn } = checkKafkaPrerequisites();
  const version = await ensureKafkaJars({ mvn, log });
  const port = kafkaPort();
  const credentials = saslCredentials();
  const fresh = !fs.existsSync(path.join(paths.kafka.data, 'meta.properties'));
  writeKafkaConfig(port, { admin: credentials?.admin });
  // Fresh storage gets the workspaces' worker users too, with the passwords their workers hold.
  const workers = credentials
    ? require('../platform/kafka-principals').storedWorkerCredentials()
    : [];
  formatStorageOnce(
    java,
    log,
    paths.kafka,
    credentials ? scramFormatArgs(credentials, workers) : [],
  );
  if (fresh && credentials) fs.writeFileSync(SCRAM_MARKER, `${new Date().toISOString()}\n`);

  const pid = spawnDetached(
    java,
    [
      '-Xms128m',
      '-Xmx512m',
      '-XX:+UseSerialGC',
      '-XX:+ExitOnOutOfMemoryError',
      '-Djava.awt.headless=true',
      ...javaArgs(['kafka.Kafka', paths.kafka.serverProperties]),
    ],
    {
      cwd: paths.repoRoot,
      logFile: path.join(paths.kafka.logs, 'server.out'),
      pidFile: paths.kafka.pidFile,
    },
  );
  const mode = credentials
    ? `SASL/SCRAM with ACLs, credentials in ${paths.kafka.credentials}`
    : 'PLAINTEXT';
  log(`kafka: starting Apache Kafka ${version} (KRaft, ${mode}) on 127.0.0.1:${port}, pid ${pid}`);
  return pid;
}

/**
 * The SCRAM credentials of the local broker in BATON_KAFKA_SECURITY=sasl mode (created on first
 * use); undefined in the default PLAINTEXT mode. Users are created when the storage is formatted,
 * so an existing PLAINTEXT cluster cannot be switched over in place.
 */
function saslCredentials() {
  if (kafkaSecurityMode() !== 'sasl') return undefined;
  const formatted = fs.existsSync(path.join(paths.kafka.data, 'meta.properties'));
  // The credentials file outlives a purge, so only the marker says this storage has the users.
  if (formatted && !(fs.existsSync(paths.kafka.credentials) && fs.existsSync(SCRAM_MARKER))) {
    throw new InfraError(
      'BATON_KAFKA_SECURITY=sasl needs a broker formatted with SCRAM users, and this one was ' +
        'not: run `npm run infra:down -- --purge` first (deletes the local Kafka data)',
    );
  }
  return ensureCredentials(paths.kafka.credentials);
}

/**
 * @param {{ log: (msg: string) => void }} opts
 * @returns {Promise<string>} bootstrap brokers
 */
async function ensureKafka({ log }) {
  const configured = process.env.KAFKA_BROKERS;
  if (configured) {
    const probe = await probeKafka(configured);
    if (!probe.ok) {
      throw new InfraError(`KAFKA_BROKERS=${configured} does not answer: ${probe.error}`);
    }
    log(`kafka: using KAFKA_BROKERS=${configured}`);
    return configured;
  }

  const port = kafkaPort();
  const brokers = localBrokers();
  const started = Date.now();
  const admin = saslCredentials()?.admin;
  const ours = managedBroker();
  if (ours && ours.port !== port) {
    // One data directory, one broker: switching ports means restarting it.
    throw new InfraError(
      `baton's Kafka broker (pid ${ours.pid}) runs on port ${ours.port}, not ${port}: ` +
        'run `npm run infra:down` first to move it',
    );
  }
  const mode = kafkaSecurityMode();
  if (ours && ours.mode && ours.mode !== mode) {
    // A PLAINTEXT client cannot talk to the SASL listener, nor a SASL one to PLAINTEXT: say so
    // rather than wait two minutes for an answer. The e2e suite defaults to sasl, the rest to none.
    throw new InfraError(
      `baton's Kafka broker (pid ${ours.pid}) runs with BATON_KAFKA_SECURITY=${ours.mode}, ` +
        `and this asks for ${mode}: set BATON_KAFKA_SECURITY=${ours.mode}, or run ` +
        '`npm run infra:down` first to restart it in the other mode',
    );
  }
  const probe = await probeKafka(brokers, admin);
  if (probe.ok) {
    log(`kafka: reusing broker at ${brokers} (${ours ? `managed, pid ${ours.pid}` : 'external'})`);
    return brokers;
  }

  let pid;
  if (ours) {
    // Ours but not answering: most likely still starting from an earlier, interrupted `up`.
    pid = ours.pid;
    log(`kafka: waiting for the broker we started earlier (pid ${pid})`);
  } else if (await isPortOpen(port)) {
    // Not ours; a broker we started next to it would only die with "Address already in use".
    throw new InfraError(
      `127.0.0.1:${port} is taken by a process that does not answer as a Kafka broker ` +
        `(${probe.error}); stop it or set BATON_KAFKA_PORT`,
    );
  } else {
    pid = await startBroker(log);
  }
  await waitForBroker(pid, brokers, { stopOnTimeout: !ours, as: admin });
  if (admin) {
    // ACLs live in the cluster's metadata: after a wipe they are gone until granted again.
    const { restoreAcls } = require('../platform/kafka-principals');
    await restoreAcls({ brokers, admin, log });
  }
  log(`kafka: ready at ${brokers} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return brokers;
}

/**
 * Stops the broker only if we started it; anything else on the port is left alone.
 * @param {{ log: (msg: string) => void, purge?: boolean }} opts
 */
async function stopKafka({ log, purge = false }) {
  const pid = livePid(paths.kafka.pidFile, CMDLINE_MARKER);
  if (pid) {
    log(`kafka: stopping broker (pid ${pid})`);
    const how = await stopPid(pid, { graceMs: 20_000, cmdlineMarker: CMDLINE_MARKER });
    fs.rmSync(paths.kafka.pidFile, { force: true });
    log(`kafka: ${how === 'killed' ? 'killed after 20 s without a clean shutdown' : 'stopped'}`);
  } else {
    log('kafka: no broker started by baton is running');
  }
  if (purge) {
    fs.rmSync(paths.kafka.data, { recursive: true, force: true });
    // The SASL credentials (credentials.json, workers/) stay: the next start formats the storage
    // with the same users and passwords and grants the ACLs again, so clients holding them
    // reconnect, as they would to a rebuilt cluster. `rm -rf .cache/kafka` forgets them too.
    log(`kafka: deleted ${paths.kafka.data}`);
  }
}

async function kafkaStatus() {
  const configured = process.env.KAFKA_BROKERS;
  const brokers = configured || localBrokers();
  const ours = configured ? undefined : managedBroker();
  const pid = ours && ours.port === kafkaPort() ? ours.pid : undefined;
  // Our SASL broker answers only the admin, whatever BATON_KAFKA_SECURITY says now.
  const admin =
    ours?.mode === 'sasl' && fs.existsSync(paths.kafka.credentials)
      ? ensureCredentials(paths.kafka.credentials).admin
      : undefined;
  const probe = await probeKafka(brokers, admin);
  return {
    brokers,
    running: probe.ok,
    managed: Boolean(pid),
    pid,
    version: pid ? resolvedKafkaVersion() : undefined,
  };
}

module.exports = {
  ensureKafka,
  stopKafka,
  kafkaStatus,
  probeKafka,
  javaArgs,
  formatStorageOnce,
  waitForBroker,
  saslCredentials,
};
