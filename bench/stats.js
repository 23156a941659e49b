// @ts-check
'use strict';

/**
 * mean, p50, p99, min and max of a list of milliseconds, rounded to 0.01 ms.
 * @param {number[]} values
 */
function summarize(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (/** @type {number} */ q) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const round = (/** @type {number} */ n) => Math.round(n * 100) / 100;
  return {
    n: sorted.length,
    mean: round(sorted.reduce((sum, v) => sum + v, 0) / Math.max(sorted.length, 1)),
    p50: round(at(0.5)),
    p99: round(at(0.99)),
    min: round(sorted[0] ?? 0),
    max: round(sorted[sorted.length - 1] ?? 0),
  };
}

/** The machine a figure was taken on, printed beside it. */
function machine() {
  const os = require('node:os');
  return `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`;
}

/**
 * Runs a benchmark's main and exits non-zero with the stack when it fails.
 * @param {() => Promise<void>} main
 */
function runMain(main) {
  main().catch((error) => {
    process.stderr.write(`bench failed: ${error.stack ?? error}\n`);
    process.exit(1);
  });
}

module.exports = { summarize, machine, runMain };
