#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * `npm run migrate`: applies every service's pending migrations to its own
 * schema, without starting the services. Uses DATABASE_URL, or the Postgres
 * that `npm run infra:up` chose.
 */
const path = require('node:path');
const { SERVICES } = require('./platform/services');

const ROOT = path.resolve(__dirname, '..');

async function main() {
  let url = process.env.DATABASE_URL;
  if (!url) url = (await require('./infra').ensureInfra({ log: () => undefined })).databaseUrl;
  const { runMigrations } = require(path.join(ROOT, 'dist/libs/database/src'));
  for (const service of SERVICES.filter((s) => s.database)) {
    const { DATABASE } = require(
      path.join(ROOT, `dist/apps/${service.name}/src/${service.name}.database`),
    );
    const applied = await runMigrations(url, DATABASE);
    process.stdout.write(
      `${service.name} (${DATABASE.schema}): ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}\n`,
    );
  }
}

main().catch((error) => {
  process.stderr.write(`migrate: ${error.message}\n`);
  process.exit(1);
});
