#!/usr/bin/env node
// Fails when the import graph inside a service or a lib has a cycle, between files
// (madge --circular) or between the feature folders directly under src/ (agents → tasks
// and tasks → agents): where two folders need each other, the shared part belongs in a
// folder (or a lib) both depend on. Run by `npm run lint` (lint:cycles).
const path = require('node:path');
const fs = require('node:fs');
const madge = require('madge');

const root = path.resolve(__dirname, '..');
const roots = process.argv.slice(2).length
  ? process.argv.slice(2)
  : ['apps', 'libs'].flatMap((kind) =>
      fs.readdirSync(path.join(root, kind)).map((name) => path.join(kind, name, 'src')),
    );

/** The feature folder a file belongs to: its first folder under src/ (files at the top are ''). */
function folderOf(file) {
  const parts = file.split('/');
  return parts.length > 1 ? parts[0] : '';
}

/** Cycles in the graph of folders (one edge a pair, with a file import that makes it). */
function folderCycles(graph) {
  const edges = new Map();
  for (const [from, targets] of Object.entries(graph)) {
    for (const to of targets) {
      const [a, b] = [folderOf(from), folderOf(to)];
      if (a === b || a === '' || b === '' || to.startsWith('..')) continue;
      if (!edges.has(a)) edges.set(a, new Map());
      if (!edges.get(a).has(b)) edges.get(a).set(b, `${from} → ${to}`);
    }
  }
  const cycles = [];
  for (const [a, targets] of edges) {
    for (const [b, why] of targets) {
      const back = edges.get(b)?.get(a);
      if (back && a < b) cycles.push(`${a} ↔ ${b} (${why}; ${back})`);
    }
  }
  return cycles;
}

async function main() {
  let failed = 0;
  for (const dir of roots) {
    const result = await madge(path.join(root, dir), {
      fileExtensions: ['ts'],
      excludeRegExp: [/\.spec\.ts$/, /\.d\.ts$/],
      // No tsConfig: @baton/* imports are left out, so only this service's own graph counts.
      detectiveOptions: { ts: { skipTypeImports: false } },
    });
    const graph = result.obj();
    const files = result.circular().map((cycle) => cycle.join(' → '));
    const folders = folderCycles(graph);
    for (const line of [
      ...files.map((c) => `file cycle: ${c}`),
      ...folders.map((c) => `folder cycle: ${c}`),
    ]) {
      console.error(`${dir}: ${line}`);
    }
    failed += files.length + folders.length;
  }
  if (failed) {
    console.error(`${failed} import cycle(s)`);
    process.exit(1);
  }
  console.log(`no import cycles in ${roots.length} source trees`);
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
