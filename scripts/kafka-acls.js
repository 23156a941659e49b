#!/usr/bin/env node
// @ts-check
'use strict';

// `npm run kafka:acls`: on a broker with ACLs (BATON_KAFKA_SECURITY=sasl, or any cluster whose
// admin credential is in KAFKA_SASL_*), creates the platform topics and grants each service its
// ACLs. `npm run kafka:acls -- --worker <workspace>` issues that workspace's agent-worker
// credential: a SCRAM user, its ACLs and its ingress topic. Passwords go to 0600 files under
// .cache/kafka/workers, never to the terminal. `npm run up` and the e2e harness do both
// themselves (scripts/platform/kafka-principals.js); this is the operator's command.
const fs = require('node:fs');
const paths = require('./infra/paths');
const { readInfraJson } = require('./infra/index');
const { applyServiceAcls, issueWorkerCredential } = require('./platform/kafka-principals');

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
  const admin = adminCredential();
  if (worker === undefined) {
    const count = await applyServiceAcls({ brokers: brokers(), admin });
    console.log(`kafka:acls: ${count} ACL bindings for the services`);
    return;
  }
  const { env, bindings } = await issueWorkerCredential({
    brokers: brokers(),
    admin,
    workspace: worker,
  });
  console.log(
    `kafka:acls: ${env.KAFKA_SASL_USERNAME} with ${bindings} ACL bindings; its workers run with`,
  );
  for (const [name, value] of Object.entries(env)) console.log(`${name}=${value}`);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (err) => {
    if (err && err.details) console.error(err.details);
    console.error(`kafka:acls: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
