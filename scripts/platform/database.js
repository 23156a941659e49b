// @ts-check
'use strict';

const { Client } = require('pg');

/**
 * Drops and recreates database `name` on the server of `baseUrl`, so a test or
 * benchmark run never sees an earlier run's rows. Returns its URL.
 * @param {string} baseUrl
 * @param {string} name
 */
async function freshDatabase(baseUrl, name) {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid database name ${name}`);
  const admin = new URL(baseUrl);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

module.exports = { freshDatabase };
