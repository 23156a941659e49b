// @ts-check
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { randomBytes } = require('node:crypto');

/**
 * A local encryption keyring for `npm run up` and the e2e suite: one random
 * key, `<id>:<base64>`, in a file only its owner may read. The services get
 * its path as BATON_ENCRYPTION_KEYS (the same format a deployment mounts from
 * its secret store). An existing file is kept: its keys seal data already stored.
 * @param {string} file
 * @param {{ fresh?: boolean }} [options] fresh: replace it (a database recreated from scratch)
 * @returns {string} the file
 */
function ensureLocalKeyring(file, options = {}) {
  if (options.fresh) fs.rmSync(file, { force: true });
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const id = `local-${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`;
  const text =
    '# Baton local encryption keys: <id>:<base64 of 32 bytes>, the first one is active.\n' +
    `${id}:${randomBytes(32).toString('base64')}\n`;
  try {
    fs.writeFileSync(file, text, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error;
  }
  return file;
}

module.exports = { ensureLocalKeyring };
