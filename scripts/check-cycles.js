#!/usr/bin/env node
// Fails when the import graph inside a service or a lib has a cycle, between files
// (madge --circular) or between the feature folders directly under src/ (agents → tasks
// and tasks → agents): where two folders need each other, the shared part belongs in a
// folder (or a lib) both depend on. Run by `npm run lint` (lint:cycles).
//
// Every import counts: type-only ones (`import type`, `export type … from`), re-exports
// (`export * from`), index files and `import()`. A file directly under src/ (the module,
// the env, main.ts) is a node of the folder graph of its own, so a loop that passes
// through one is seen too. There is no list of tolerated cycles: the last known ones went
// in issue 26, and a new one fails.
const path = require('node:path');
const fs = require('node:fs');
const madge = require('madge');

const root = path.resolve(__dirname, '..');
const roots = process.argv.slice(2).length
  ? process.argv.slice(2)
  : ['apps', 'libs'].flatMap((kind) =>
      fs.readdirSync(path.join(root, kind)).map((name) => path.join(kind, name, 'src')),
    );

/** The feature folder a file belongs to: its first folder under src/ (a file at the top is its own). */
function folderOf(file) {
  return file.split('/')[0];
}

/** Cycles in the graph of folders (one edge a pair, with a file import that makes it). */
function folderCycles(graph) {
  const edges = new Map();
  for (const [from, targets] of Object.entries(graph)) {
    for (const to of targets) {
      const [a, b] = [folderOf(from), folderOf(to)];
      if (a === b || to.startsWith('..')) continue;
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
  // Longer loops (a → b → c → a) with no pair among them: strongly connected folders.
  for (const group of stronglyConnected(edges)) {
    const pairs = group.some((a) =>
      group.some((b) => edges.get(a)?.has(b) && edges.get(b)?.has(a)),
    );
    if (group.length > 2 && !pairs) cycles.push(`${group.sort().join(' → ')} (a loop of folders)`);
  }
  return cycles;
}

/** Tarjan's algorithm over the folder graph: the groups of folders that reach each other. */
function stronglyConnected(edges) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const groups = [];
  let next = 0;
  const visit = (node) => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    for (const to of edges.get(node)?.keys() ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node), low.get(to)));
      } else if (stack.includes(to)) low.set(node, Math.min(low.get(node), index.get(to)));
    }
    if (low.get(node) === index.get(node)) {
      const group = [];
      let member;
      do {
        member = stack.pop();
        group.push(member);
      } while (member !== node);
      groups.push(group);
    }
  };
  for (const node of edges.keys()) if (!index.has(node)) visit(node);
  return groups;
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
    // A relative import madge could not resolve has no edges: say so rather than pass a graph
    // with holes (@baton/* imports are left out on purpose: other trees' graphs).
    for (const file of result.warnings().skipped.filter((name) => name.startsWith('.'))) {
      console.error(`${dir}: could not read ${file}`);
      failed += 1;
    }
    const graph = result.obj();
    const files = result.circular().map((cycle) => cycle.join(' → '));
    const folders = folderCycles(graph);
    const lines = [
      ...files.map((c) => `file cycle: ${c}`),
      ...folders.map((c) => `folder cycle: ${c}`),
    ];
    for (const line of lines) console.error(`${dir}: ${line}`);
    failed += lines.length;
  }
  if (failed) {
    console.error(`${failed} import cycle(s) or unread file(s)`);
    process.exit(1);
  }
  console.log(`no import cycles in ${roots.length} source trees`);
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
