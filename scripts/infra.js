#!/usr/bin/env node
// @ts-check
'use strict';

// `npm run infra:up|infra:down|infra:status`: local Kafka + Postgres for development and tests.
//
// Node resolves `require('./scripts/infra')` to this file before the scripts/infra/ directory, so
// this file re-exports the API of scripts/infra/index.js and only runs the CLI when executed.
const infra = require('./infra/index');
const { redact } = require('./infra/postgres');

module.exports = infra;
const { ensureInfra, stopInfra, infraStatus } = infra;

const USAGE = 'usage: node scripts/infra.js up | down [--purge] | status';

const log = (/** @type {string} */ msg) => console.log(msg);

/** @param {string[]} argv */
async function main(argv) {
  const [command, ...flags] = argv;
  const unknown = flags.filter((f) => !(command === 'down' && f === '--purge'));
  if (unknown.length > 0) throw new Error(`unknown option ${unknown[0]}; ${USAGE}`);

  switch (command) {
    case 'up': {
      const started = Date.now();
      const { kafkaBrokers, databaseUrl } = await ensureInfra({ log });
      log(`infra: up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      log(`KAFKA_BROKERS=${kafkaBrokers}`);
      log(`DATABASE_URL=${databaseUrl}`);
      return;
    }
    case 'down':
      await stopInfra({ log, purge: flags.includes('--purge') });
      return;
    case 'status': {
      const { kafka, postgres } = await infraStatus();
      const owner = (/** @type {{ managed: boolean, pid?: number }} */ c) =>
        c.managed ? `managed by baton${c.pid ? ` (pid ${c.pid})` : ''}` : 'external';
      const state = (/** @type {boolean} */ running) => (running ? 'running' : 'not running');
      const kafkaVersion = kafka.version ? ` Kafka ${kafka.version}` : '';
      log(`kafka     ${kafka.brokers}  ${state(kafka.running)}  ${owner(kafka)}${kafkaVersion}`);
      log(`postgres  ${redact(postgres.url)}  ${state(postgres.running)}  ${owner(postgres)}`);
      return;
    }
    default:
      throw new Error(USAGE);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    () => process.exit(0), // kafkajs/pg may leave sockets or timers that would delay exit
    (err) => {
      if (err && err.details) console.error(err.details);
      const message = err instanceof Error ? err.message : String(err);
      console.error(`infra: ${message}`);
      process.exit(1);
    },
  );
}
