// @ts-check
'use strict';

// Public API of the local infrastructure, used by scripts/infra.js, scripts/up.js and the e2e
// harness. All operations are serialised through a lock file so concurrent callers share one
// broker and one database instead of racing to start two.
const fs = require('node:fs');
const paths = require('./paths');
const { withLock } = require('./lock');
const { ensureKafka, stopKafka, kafkaStatus, saslCredentials } = require('./kafka');
const { ensurePostgres, stopPostgres, postgresStatus } = require('./postgres');

/** @typedef {(msg: string) => void} Log */

/** Progress goes to stderr by default so callers' stdout stays machine-readable. */
const defaultLog = (/** @type {string} */ msg) => process.stderr.write(`${msg}\n`);

/** @param {{ kafkaBrokers: string, databaseUrl: string, kafkaSasl?: object }} info */
function writeInfraJson(info) {
  fs.mkdirSync(paths.cacheDir, { recursive: true });
  const tmp = `${paths.infraJson}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(info, null, 2)}\n`);
  fs.renameSync(tmp, paths.infraJson); // readers never see a half-written file
}

/**
 * Makes Kafka and Postgres available, reusing whatever already runs, and records the addresses
 * in .cache/infra.json.
 * @param {{ log?: Log }} [opts]
 * @returns {Promise<{ kafkaBrokers: string, databaseUrl: string, kafkaSasl?: object }>}
 */
function ensureInfra({ log = defaultLog } = {}) {
  return withLock(
    paths.lockFile,
    async () => {
      // Independent of each other; the JVM start dominates, so overlap it with Postgres.
      const [kafkaBrokers, databaseUrl] = await Promise.all([
        ensureKafka({ log }),
        ensurePostgres({ log }),
      ]);
      // In SASL mode the launcher finds each service's credential in this file (never the
      // passwords themselves in infra.json, which tools print).
      const sasl = process.env.KAFKA_BROKERS ? undefined : saslCredentials();
      const info = {
        kafkaBrokers,
        databaseUrl,
        ...(sasl
          ? { kafkaSasl: { mechanism: sasl.mechanism, credentialsFile: paths.kafka.credentials } }
          : {}),
      };
      writeInfraJson(info);
      return info;
    },
    { log },
  );
}

/**
 * Stops only the servers ensureInfra started; external ones are never touched.
 * @param {{ log?: Log, purge?: boolean }} [opts] purge also deletes the Kafka data (not the jars)
 */
function stopInfra({ log = defaultLog, purge = false } = {}) {
  return withLock(
    paths.lockFile,
    async () => {
      await Promise.all([stopKafka({ log, purge }), stopPostgres({ log })]);
    },
    { log },
  );
}

/**
 * @returns {Promise<{
 *   kafka: { brokers: string, running: boolean, managed: boolean, pid?: number, version?: string },
 *   postgres: { url: string, running: boolean, managed: boolean, pid?: number },
 * }>}
 */
async function infraStatus() {
  const [kafka, postgres] = await Promise.all([kafkaStatus(), postgresStatus()]);
  return { kafka, postgres };
}

/** Addresses recorded by the last ensureInfra, if any. */
function readInfraJson() {
  try {
    return JSON.parse(fs.readFileSync(paths.infraJson, 'utf8'));
  } catch {
    return undefined;
  }
}

module.exports = {
  ensureInfra,
  stopInfra,
  infraStatus,
  readInfraJson,
  infraJsonPath: paths.infraJson,
  cacheDir: paths.cacheDir,
};
