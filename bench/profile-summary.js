#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * Where a service's CPU went, from the `.cpuprofile` files node writes with
 * `--cpu-prof` (BATON_SERVICE_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR" makes
 * the bench launcher pass it to every service): self time summed by package
 * (the `node_modules` folder, or the repo's app/lib, or node's own code) and
 * by function, largest first.
 * `BUSY=1` prints, per 5 s since the profile began, the CPU seconds that were
 * not idle, to find a series; `FROM` and `TO` (seconds since the profile
 * began) then keep only the samples of that window.
 * Usage: node bench/profile-summary.js <file.cpuprofile> [top functions, default 40]
 */
const fs = require('node:fs');

const [file, topArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node bench/profile-summary.js <file.cpuprofile> [top]\n');
  process.exit(2);
}
const TOP = Number(topArg ?? 40);

/** @type {{ nodes: { id: number, callFrame: { functionName: string, url: string, lineNumber: number } }[], samples: number[], timeDeltas: number[] }} */
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const FROM_US = Number(process.env.FROM ?? 0) * 1e6;
const TO_US = Number(process.env.TO ?? Infinity) * 1e6;
const BUCKET_US = 5e6;
/** @type {Map<number, number>} µs of self time per node */
const selfUs = new Map();
/** @type {number[]} busy µs per 5 s */
const busy = [];
let at = 0;
for (const [i, id] of profile.samples.entries()) {
  const delta = profile.timeDeltas[i] ?? 0;
  at += delta;
  const name = byId.get(id)?.callFrame.functionName;
  if (name !== '(idle)') {
    const bucket = Math.floor(at / BUCKET_US);
    busy[bucket] = (busy[bucket] ?? 0) + delta;
  }
  if (at < FROM_US || at > TO_US) continue;
  selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
}
if (process.env.BUSY) {
  for (const [bucket, us] of busy.entries()) {
    process.stdout.write(
      `${String(bucket * 5).padStart(5)} s  ${((us ?? 0) / 1e6).toFixed(2)} s busy\n`,
    );
  }
}

/** The package a script belongs to: node_modules/<pkg>, apps/<app>, libs/<lib>, or node's. @param {string} url */
function packageOf(url) {
  if (!url) return '(native / vm)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const own = /\/dist\/(apps|libs)\/([^/]+)\//.exec(url);
  if (own) return `${own[1]}/${own[2]}`;
  if (url.startsWith('node:')) return 'node';
  return url;
}

/** @type {Map<string, number>} */
const byPackage = new Map();
/** @type {Map<string, number>} */
const byFunction = new Map();
let total = 0;
for (const [id, us] of selfUs) {
  const frame = byId.get(id)?.callFrame;
  if (!frame) continue;
  total += us;
  const pkg = packageOf(frame.url);
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
  const file = frame.url.split('/').slice(-2).join('/');
  const name = `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + us);
}

/** @param {Map<string, number>} sums @param {number} top */
function print(sums, top) {
  for (const [name, us] of [...sums].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    const share = ((us / total) * 100).toFixed(1).padStart(5);
    process.stdout.write(`${share} %  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}\n`);
  }
}

process.stdout.write(`${file}: ${(total / 1e6).toFixed(2)} s sampled\n\nby package\n`);
print(byPackage, 25);
process.stdout.write('\nby function (self time)\n');
print(byFunction, TOP);
