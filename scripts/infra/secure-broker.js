// @ts-check
'use strict';

// A second, throwaway broker with SASL/SCRAM and ACLs in a directory of its own: what a test uses
// to show the ACLs on a real broker without changing the one the rest of the suite runs on.
const fs = require('node:fs');
const path = require('node:path');
const paths = require('./paths');
const { InfraError, tailFile } = require('./errors');
const { checkKafkaPrerequisites } = require('./prerequisites');
const { ensureKafkaJars } = require('./kafka-jars');
const { writeKafkaConfig } = require('./kafka-config');
const { ensureCredentials, scramFormatArgs, addScramUser } = require('./kafka-sasl');
const { probeKafka, javaArgs, formatStorageOnce } = require('./kafka');
const { isAlive, sleep, spawnDetached, stopPid } = require('./process');

const START_TIMEOUT_MS = 120_000;

/**
 * @typedef {{
 *   brokers: string,
 *   pid: number,
 *   credentials: import('./kafka-sasl').Credentials,
 *   addScramUser: (user: import('./kafka-sasl').Credential) => void,
 *   stop: () => Promise<void>,
 * }} SecureBroker
 */

/**
 * Starts a SASL/SCRAM broker with ACLs enforced on `port` (and `port + 1` for its controller),
 * keeping everything under `dir`; `stop()` stops it and deletes `dir`.
 * @param {{ dir: string, port: number, log?: (msg: string) => void }} opts
 * @returns {Promise<SecureBroker>}
 */
async function startSecureBroker({ dir, port, log = () => {} }) {
  const { java, mvn } = checkKafkaPrerequisites();
  await ensureKafkaJars({ mvn, log });
  const files = {
    data: path.join(dir, 'data'),
    logs: path.join(dir, 'logs'),
    serverProperties: path.join(dir, 'server.properties'),
    log4jProperties: path.join(dir, 'log4j.properties'),
  };
  const credentials = ensureCredentials(path.join(dir, 'credentials.json'));
  writeKafkaConfig(port, { admin: credentials.admin, dir: files });
  formatStorageOnce(java, log, files, scramFormatArgs(credentials));
  const pid = spawnDetached(
    java,
    [
      '-Xms64m',
      '-Xmx384m',
      '-XX:+UseSerialGC',
      '-XX:+ExitOnOutOfMemoryError',
      ...javaArgs(['kafka.Kafka', files.serverProperties], files.log4jProperties),
    ],
    {
      cwd: paths.repoRoot,
      logFile: path.join(files.logs, 'server.out'),
      pidFile: path.join(dir, 'kafka.pid'),
    },
  );
  const brokers = `127.0.0.1:${port}`;
  // Its command line names its own server.properties: how stop() knows the pid is still it.
  const stop = async () => {
    await stopPid(pid, { graceMs: 15_000, cmdlineMarker: files.serverProperties });
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilAnswering(pid, brokers, credentials.admin, files.logs);
  } catch (error) {
    await stop();
    throw error;
  }
  log(`kafka: SASL broker with ACLs ready at ${brokers} (pid ${pid})`);
  return {
    brokers,
    pid,
    credentials,
    addScramUser: (user) =>
      addScramUser({
        java,
        libs: paths.kafka.libs,
        workDir: dir,
        brokers,
        admin: credentials.admin,
        user,
      }),
    stop,
  };
}

/**
 * @param {number} pid
 * @param {string} brokers
 * @param {import('./kafka-sasl').Credential} admin
 * @param {string} logs
 */
async function waitUntilAnswering(pid, brokers, admin, logs) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let lastError = 'no answer yet';
  while (Date.now() < deadline) {
    if (!isAlive(pid)) {
      throw new InfraError(
        `the SASL Kafka broker (pid ${pid}) exited during startup`,
        tailFile(path.join(logs, 'server.out'), 40),
      );
    }
    const probe = await probeKafka(brokers, admin);
    if (probe.ok) return;
    lastError = probe.error;
    await sleep(500);
  }
  throw new InfraError(
    `the SASL Kafka broker did not answer on ${brokers} (${lastError})`,
    tailFile(path.join(logs, 'server.log'), 40),
  );
}

module.exports = { startSecureBroker };
