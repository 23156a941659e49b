// @ts-check
'use strict';

// On a broker with SASL and ACLs (BATON_KAFKA_SECURITY=sasl, ADR 0018): what each service and each
// workspace's agent workers connect as, and the ACLs that let them. Used by `npm run up`, the e2e
// harness and `npm run kafka:acls`. Passwords live only in 0600 files under .cache/kafka; services
// and workers get the file's path (KAFKA_SASL_PASSWORD_FILE), never the password in their
// environment, a state file or a log.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const paths = require('../infra/paths');
const { addScramUser, kafkajsSasl } = require('../infra/kafka-sasl');
const { javaCommand } = require('../infra/prerequisites');

/** The compiled libs (npm run build): the ACL table and the topic names are TypeScript. */
const dist = path.join(paths.repoRoot, 'dist', 'libs');
/** @returns {typeof import('../../libs/kafka/src')} */
const batonKafka = () => require(path.join(dist, 'kafka', 'src', 'index'));
/** @returns {typeof import('../../libs/contracts/src')} */
const contracts = () => require(path.join(dist, 'contracts', 'src', 'index'));

/** @typedef {import('../infra/kafka-sasl').Credential} Credential */
/** @typedef {import('../infra/kafka-sasl').Credentials} Credentials */
/** @typedef {{ KAFKA_SASL_MECHANISM: string, KAFKA_SASL_USERNAME: string, KAFKA_SASL_PASSWORD_FILE: string }} SaslEnv */

/** Where the workers' and the services' password files are written. */
const WORKERS_DIR = path.join(paths.kafka.dir, 'workers');
const SERVICES_DIR = path.join(paths.kafka.dir, 'services');

/**
 * The local SASL broker's credentials (written by infra on its first SASL start), or undefined
 * when ensureInfra reported no SASL (PLAINTEXT, or an external KAFKA_BROKERS).
 * @param {{ kafkaSasl?: { credentialsFile?: string } }} infra what ensureInfra returned
 * @returns {Credentials | undefined}
 */
function localCredentials(infra) {
  const file = infra.kafkaSasl?.credentialsFile;
  if (!file) return undefined;
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/**
 * @param {string} file
 * @param {string} password
 */
function writeSecret(file, password) {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${password}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file); // a reader never sees half a password
}

/**
 * Each service's KAFKA_SASL_* settings for its own principal (User:baton-<service>), keyed by
 * service name; undefined when the broker needs none.
 * @param {{ kafkaSasl?: { credentialsFile?: string } }} infra
 * @returns {Record<string, SaslEnv> | undefined}
 */
function serviceKafkaEnv(infra) {
  const credentials = localCredentials(infra);
  if (!credentials) return undefined;
  return Object.fromEntries(
    Object.entries(credentials.services).map(([service, credential]) => {
      const file = path.join(SERVICES_DIR, `${service}.password`);
      writeSecret(file, credential.password);
      return [
        service,
        {
          KAFKA_SASL_MECHANISM: credentials.mechanism,
          KAFKA_SASL_USERNAME: credential.username,
          KAFKA_SASL_PASSWORD_FILE: file,
        },
      ];
    }),
  );
}

/**
 * A connected kafkajs admin client authenticated as `as`; `fn` runs with it, then it disconnects.
 * @template T
 * @param {{ brokers: string, as: Credential }} target
 * @param {(admin: import('kafkajs').Admin) => Promise<T>} fn
 * @returns {Promise<T>}
 */
async function withAdmin({ brokers, as }, fn) {
  // A broker that has just started on fresh storage answers metadata before it hosts every
  // partition it was asked to create: such answers are retried until a deadline.
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      return await withAdminOnce({ brokers, as }, fn);
    } catch (error) {
      if (!retriable(error) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/**
 * kafkajs marks a passing condition retriable, also under the error it throws once its own
 * retries are exhausted (KafkaJSNumberOfRetriesExceeded, whose cause it is).
 * @param {unknown} error
 */
function retriable(error) {
  for (let e = /** @type {any} */ (error); e; e = e.cause) {
    if (e.retriable === true) return true;
  }
  return false;
}

/**
 * @template T
 * @param {{ brokers: string, as: Credential }} target
 * @param {(admin: import('kafkajs').Admin) => Promise<T>} fn
 * @returns {Promise<T>}
 */
async function withAdminOnce({ brokers, as }, fn) {
  const { Kafka, logLevel } = require('kafkajs');
  const kafka = new Kafka({
    clientId: 'baton-acls',
    brokers: brokers.split(','),
    sasl: kafkajsSasl(as),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Creates the platform topics and grants every service its ACLs (ADR 0018), then waits until the
 * broker enforces them, so a service started next finds its rights in place.
 * @param {{ brokers: string, admin: Credential }} target
 * @returns {Promise<number>} how many bindings the services have
 */
async function applyServiceAcls({ brokers, admin }) {
  const { PLATFORM_TOPICS } = contracts();
  const { applyAcls, pruneStaleAcls, serviceAcls, waitForAcls } = batonKafka();
  return withAdmin({ brokers, as: admin }, async (client) => {
    await client.createTopics({
      waitForLeaders: false,
      topics: PLATFORM_TOPICS.map((t) => ({
        topic: t.topic,
        numPartitions: t.partitions,
        configEntries: Object.entries(t.config ?? {}).map(([name, value]) => ({ name, value })),
      })),
    });
    const rules = serviceAcls();
    const count = await applyAcls(client, rules);
    // What an earlier version granted or denied and this one does not.
    await pruneStaleAcls(client, rules);
    await waitForAcls(client, rules);
    return count;
  });
}

/**
 * Whether `credential` authenticates on `brokers` (SCRAM; no ACL is needed to fetch metadata).
 * @param {string} brokers
 * @param {Credential} credential
 */
async function authenticates(brokers, credential) {
  const { probeKafka } = require('../infra/kafka');
  return (await probeKafka(brokers, credential)).ok;
}

/**
 * A workspace's agent-worker credential: the SCRAM user baton-worker-<workspace>, its ACLs and its
 * ingress topic; the password goes to .cache/kafka/workers/<workspace>.password (0600).
 * `reuse`: keep a password file that still authenticates (the e2e harness, `npm run up`);
 * otherwise (the operator command) a new password replaces the old one.
 * @param {{ brokers: string, admin: Credential, workspace: string, reuse?: boolean }} opts
 * @returns {Promise<{ env: SaslEnv, bindings: number }>}
 */
async function issueWorkerCredential({ brokers, admin, workspace, reuse = false }) {
  const { WORKSPACE_ID_PATTERN, Topics } = contracts();
  if (!WORKSPACE_ID_PATTERN.test(workspace)) {
    throw new Error(`'${workspace}' is not a workspace slug`);
  }
  const { applyAcls, workerAcls, workerUser, waitForAcls } = batonKafka();
  const username = workerUser(workspace);
  const passwordFile = workerPasswordFile(workspace);
  const existing = fs.existsSync(passwordFile)
    ? fs.readFileSync(passwordFile, 'utf8').replace(/\r?\n$/, '')
    : undefined;
  const known =
    reuse && existing && (await authenticates(brokers, { username, password: existing }));
  if (!known) {
    // Reusing, a password the broker does not know (its data was wiped) is given back to it, so
    // workers already holding it connect again; the operator command always issues a new one.
    const password = reuse && existing ? existing : crypto.randomBytes(24).toString('base64url');
    fs.mkdirSync(WORKERS_DIR, { recursive: true, mode: 0o700 });
    addScramUser({
      java: javaCommand(),
      libs: paths.kafka.libs,
      workDir: WORKERS_DIR,
      brokers,
      admin,
      user: { username, password },
    });
    writeSecret(passwordFile, password);
  }
  const bindings = await withAdmin({ brokers, as: admin }, async (client) => {
    await client.createTopics({
      waitForLeaders: false,
      topics: [{ topic: Topics.workspaceIngress(workspace), numPartitions: 3 }],
    });
    const rules = workerAcls(workspace);
    const count = await applyAcls(client, rules);
    await waitForAcls(client, rules);
    return count;
  });
  return {
    env: {
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: username,
      KAFKA_SASL_PASSWORD_FILE: passwordFile,
    },
    bindings,
  };
}

/** @param {string} workspace */
const workerPasswordFile = (workspace) => path.join(WORKERS_DIR, `${workspace}.password`);

/**
 * The worker credentials issued on this machine (.cache/kafka/workers), so that a broker whose
 * storage is formatted again (its data wiped) gets them back with the admin and the services.
 * @returns {Credential[]}
 */
function storedWorkerCredentials() {
  if (!fs.existsSync(WORKERS_DIR)) return [];
  return fs
    .readdirSync(WORKERS_DIR)
    .filter((name) => /^[a-z0-9][a-z0-9-]{0,62}\.password$/.test(name))
    .map((name) => ({
      username: `baton-worker-${name.slice(0, -'.password'.length)}`,
      password: fs.readFileSync(path.join(WORKERS_DIR, name), 'utf8').replace(/\r?\n$/, ''),
    }));
}

/**
 * After the local SASL broker started on fresh storage: its SCRAM users came back with the format
 * (storedWorkerCredentials), its ACLs did not. Grants the services' and every stored workspace's
 * again, as an operator's deploy step would on a rebuilt cluster. Needs the compiled libs; without
 * them it says what to run instead.
 * @param {{ brokers: string, admin: Credential, log: (line: string) => void }} opts
 */
async function restoreAcls({ brokers, admin, log }) {
  if (!fs.existsSync(path.join(dist, 'kafka', 'src', 'index.js'))) {
    log('kafka: ACLs not granted (no build yet); npm run kafka:acls grants them');
    return;
  }
  const count = await applyServiceAcls({ brokers, admin });
  const { Topics } = contracts();
  const { applyAcls, workerAcls, waitForAcls } = batonKafka();
  const workspaces = storedWorkerCredentials().map((c) => c.username.slice('baton-worker-'.length));
  await withAdmin({ brokers, as: admin }, async (client) => {
    for (const workspace of workspaces) {
      await client.createTopics({
        waitForLeaders: false,
        topics: [{ topic: Topics.workspaceIngress(workspace), numPartitions: 3 }],
      });
      const rules = workerAcls(workspace);
      await applyAcls(client, rules);
      await waitForAcls(client, rules);
    }
  });
  log(
    `kafka: ACLs granted: ${count} bindings for the services, workers of ${workspaces.length} workspaces`,
  );
}

/**
 * For a SASL broker: grants the services their ACLs, issues the worker credential of each of
 * `workspaces`, and returns each service's KAFKA_SASL_* settings plus agent-manager's
 * AGENT_WORKER_KAFKA_CREDENTIALS_DIR (where the process provisioner finds workers' passwords).
 * Undefined for a PLAINTEXT broker. Needs the compiled libs (npm run build).
 * @param {{ kafkaBrokers: string, kafkaSasl?: { credentialsFile?: string } }} infra
 * @param {{ workspaces?: string[], log?: (line: string) => void }} [opts]
 * @returns {Promise<{ services: Record<string, Record<string, string>>, workers: Record<string, SaslEnv> } | undefined>}
 */
async function preparePrincipals(infra, { workspaces = ['default'], log = () => {} } = {}) {
  const credentials = localCredentials(infra);
  if (!credentials) return undefined;
  const brokers = infra.kafkaBrokers;
  const count = await applyServiceAcls({ brokers, admin: credentials.admin });
  /** @type {Record<string, SaslEnv>} */
  const workers = {};
  for (const workspace of workspaces) {
    const { env } = await issueWorkerCredential({
      brokers,
      admin: credentials.admin,
      workspace,
      reuse: true,
    });
    workers[workspace] = env;
  }
  const perService = serviceKafkaEnv(infra) ?? {};
  /** @type {Record<string, Record<string, string>>} */
  const services = Object.fromEntries(
    Object.entries(perService).map(([service, env]) => [
      service,
      service === 'agent-manager'
        ? { ...env, AGENT_WORKER_KAFKA_CREDENTIALS_DIR: WORKERS_DIR }
        : { ...env },
    ]),
  );
  log(
    `kafka: SASL with ACLs: ${count} bindings for the services, worker credentials for ${workspaces.join(', ')}`,
  );
  return { services, workers };
}

module.exports = {
  WORKERS_DIR,
  SERVICES_DIR,
  localCredentials,
  serviceKafkaEnv,
  applyServiceAcls,
  issueWorkerCredential,
  workerPasswordFile,
  storedWorkerCredentials,
  restoreAcls,
  preparePrincipals,
};
