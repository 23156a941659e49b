// @ts-check
'use strict';

// `npm run up`, the e2e harness and a developer's `infra:up` may all run at once; without a lock
// two of them would start two brokers on the same data directory.
const fs = require('node:fs');
const path = require('node:path');
const { isAlive, readPid, sleep } = require('./process');
const { InfraError } = require('./errors');

/** Calls from the same process queue here; the lock file only arbitrates between processes. */
let queue = Promise.resolve();

/**
 * Runs `fn` while holding an exclusive lock file. A lock whose owner died is taken over.
 * @template T
 * @param {string} file
 * @param {() => Promise<T>} fn
 * @param {{ timeoutMs?: number, log?: (msg: string) => void }} [opts]
 * @returns {Promise<T>}
 */
function withLock(file, fn, opts = {}) {
  const run = queue.then(() => withFileLock(file, fn, opts));
  queue = run.then(
    () => undefined,
    () => undefined,
  );
  return run;
}

/**
 * @template T
 * @param {string} file
 * @param {() => Promise<T>} fn
 * @param {{ timeoutMs?: number, log?: (msg: string) => void }} opts
 * @returns {Promise<T>}
 */
async function withFileLock(file, fn, { timeoutMs = 300_000, log }) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (err) {
      if (/** @type {NodeJS.ErrnoException} */ (err).code !== 'EEXIST') throw err;
    }
    const owner = readPid(file);
    if (owner === undefined) {
      // Either a writer is between create and write, or a crash left it empty: look again later.
      await sleep(200);
      if (readPid(file) === undefined) fs.rmSync(file, { force: true });
      continue;
    }
    if (owner === process.pid || !isAlive(owner)) {
      // Left behind by a crashed run (the in-process queue rules out a live holder with our pid).
      if (readPid(file) === owner) fs.rmSync(file, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new InfraError(`timed out waiting for ${file} (held by pid ${owner})`);
    }
    if (!announced && log) log(`infra: waiting for another infra command (pid ${owner})`);
    announced = true;
    await sleep(250);
  }
  try {
    return await fn();
  } finally {
    if (readPid(file) === process.pid) fs.rmSync(file, { force: true });
  }
}

module.exports = { withLock };
