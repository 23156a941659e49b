// @ts-check
'use strict';
// A fresh database for one run of the repository tests, on the Postgres `npm run infra:up` would
// use (DATABASE_URL, the embedded server, or the local one on 5432); no Kafka. Its URL reaches the
// specs through BATON_REPOSITORY_DATABASE_URL.
const { ensurePostgres } = require('../../scripts/infra/postgres');
const { freshDatabase } = require('../../scripts/platform/database');

module.exports = async function globalSetup() {
  const name = process.env.BATON_REPOSITORY_DATABASE || 'baton_repo_test';
  const server = await ensurePostgres({ log: () => undefined });
  process.env.BATON_REPOSITORY_DATABASE_URL = await freshDatabase(server, name);
};
