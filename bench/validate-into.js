#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * CPU µs per `validateInto` of a run start command (what the gateway checks
 * on every POST /v1/workflows/{name}/runs and the engine again on the
 * command), from a build: `dist/` by default, or the build directory given
 * (to compare two builds, alternated). CPU time, not wall time: on a shared
 * machine the wall time of a loop moves with everyone else's work.
 * Usage: npm run build && node bench/validate-into.js [distDir] [rounds]
 */
const path = require('node:path');

const dist = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'dist'));
const ROUNDS = Number(process.argv[3] ?? 20_000);
const contracts = require(path.join(dist, 'libs/contracts/src'));

/** @param {() => void} work */
function cpuMicroseconds(work) {
  for (let i = 0; i < ROUNDS / 4; i++) work(); // warm
  const began = process.cpuUsage();
  for (let i = 0; i < ROUNDS; i++) work();
  const spent = process.cpuUsage(began);
  return (spent.user + spent.system) / ROUNDS;
}

const start = cpuMicroseconds(() =>
  contracts.validateInto(contracts.StartRunCommand, {
    workflow: 'three-noop-steps',
    input: { n: 1 },
    idempotency_key: 'request:3f0c',
  }),
);
process.stdout.write(`${dist}: validateInto(StartRunCommand) ${start.toFixed(1)} CPU µs\n`);
