#!/usr/bin/env node
// @ts-check
'use strict';

// `npm run kafka:acls`: on a broker with ACLs (BATON_KAFKA_SECURITY=sasl, or any cluster whose
// admin credential is in KAFKA_SASL_*), creates the platform topics and grants each service its
// ACLs. `npm run kafka:acls -- --worker <workspace>` issues that workspace's agent-worker
// credential: a SCRAM user, its ACLs and its ingress topic. Passwords go to 0600 files under
// .cache/kafka/workers, never to the terminal.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const paths = require('./infra/paths');
const { readInfraJson } = require('./infra/index');
const { addScramUser } = require('./infra/kafka-sasl');
const { javaCommand } = require('./infra/prerequisites');

const dist = path.join(paths.repoRoot, 'dist', 'libs');
/** @type {typeof import('../libs/kafka/src')} */
const batonKafka = require(path.join(dist, 'kafka', 'src', 'index'));
/** @type {typeof import('../libs/contracts/src')} */
const contracts = require(path.join(dist, 'contracts', 'src', 'index'));

const USAGE = 'usage: node scripts/kafka-acls.js [--worker <workspace>]';

/** The admin: KAFKA_SASL_* when set (another cluster), else the local SASL broker's. */
function adminCredential() {
  const { KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password } = process.env;
  if (username && password) return { username, password };
  if (!fs.existsSync(paths.kafka.credentials)) {
    throw new Error(
      'no admin credential: start the broker with BATON_KAFKA_SECURITY=sasl npm run infra:up, ' +
        'or set KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD',
    );
  }
  return JSON.parse(fs.readFileSync(paths.kafka.credentials, 'utf8')).admin;
}

function brokers() {
  const configured = process.env.KAFKA_BROKERS ?? readInfraJson()?.kafkaBrokers;
  if (!configured) throw new Error('no broker: set KAFKA_BROKERS or run npm run infra:up');
  return configured;
}

/** @param {string[]} argv */
async function main(argv) {
  const worker = argv[0] === '--worker' ? argv[1] : undefined;
  if (argv.length > 0 && (!worker || argv.length !== 2)) throw new Error(USAGE);
  if (worker !== undefined && !contracts.WORKSPACE_ID_PATTERN.test(worker)) {
    throw new Error(`'${worker}' is not a workspace slug`);
  }
  const admin = adminCredential();
  const { Kafka, logLevel } = require('kafkajs');
  const kafka = new Kafka({
    clientId: 'baton-acls',
    brokers: brokers().split(','),
    sasl: { mechanism: 'scram-sha-512', ...admin },
    logLevel: logLevel.NOTHING,
  });
  const client = kafka.admin();
  await client.connect();
  try {
    if (worker === undefined) {
      await client.createTopics({
        topics: contracts.PLATFORM_TOPICS.map((t) => ({
          topic: t.topic,
          numPartitions: t.partitions,
          configEntries: Object.entries(t.config ?? {}).map(([name, value]) => ({ name, value })),
        })),
      });
      const count = await batonKafka.applyAcls(client, batonKafka.serviceAcls());
      console.log(
        `kafka:acls: ${count} ACL bindings for ${batonKafka.ACL_SERVICES.length} services`,
      );
      return;
    }
    const username = batonKafka.workerUser(worker);
    const password = crypto.randomBytes(24).toString('base64url');
    const dir = path.join(paths.kafka.dir, 'workers');
    addScramUser({
      java: javaCommand(),
      libs: paths.kafka.libs,
      workDir: dir,
      brokers: brokers(),
      admin,
      user: { username, password },
    });
    await client.createTopics({
      topics: [{ topic: contracts.Topics.workspaceIngress(worker), numPartitions: 3 }],
    });
    const count = await batonKafka.applyAcls(client, batonKafka.workerAcls(worker));
    const passwordFile = path.join(dir, `${worker}.password`);
    fs.writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    console.log(`kafka:acls: ${username} with ${count} ACL bindings; its workers run with`);
    console.log('KAFKA_SASL_MECHANISM=scram-sha-512');
    console.log(`KAFKA_SASL_USERNAME=${username}`);
    console.log(`KAFKA_SASL_PASSWORD_FILE=${passwordFile}`);
  } finally {
    await client.disconnect();
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (err) => {
    if (err && err.details) console.error(err.details);
    console.error(`kafka:acls: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
