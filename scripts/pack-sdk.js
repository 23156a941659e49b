#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * `npm run sdk:pack`: builds @baton/sdk as a package of its own and packs it
 * (.cache/baton-sdk-<version>.tgz), ready for `npm publish <tarball>` or
 * `npm install <tarball>`. The SDK's code and that of the libraries it uses
 * (contracts, kafka, tenant-code) are compiled with their type declarations
 * into one dist/; libs/sdk/package.json is the manifest, its version and its
 * dependencies' versions taken from the root package.json, so they never drift.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, '.cache/sdk-package');
const bin = (name) => path.join(ROOT, 'node_modules/.bin', name);

function main() {
  fs.rmSync(OUT, { recursive: true, force: true });
  const project = path.join(ROOT, 'libs/sdk/tsconfig.pack.json');
  execFileSync(bin('tsc'), ['-p', project], { stdio: 'inherit' });
  execFileSync(bin('tsc-alias'), ['-p', project], { stdio: 'inherit' });

  const root = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'libs/sdk/package.json'), 'utf8'));
  manifest.version = root.version;
  for (const name of Object.keys(manifest.dependencies)) {
    const version = root.dependencies[name];
    if (!version) throw new Error(`${name} is not a dependency of the root package.json`);
    manifest.dependencies[name] = version;
  }
  fs.writeFileSync(path.join(OUT, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  fs.copyFileSync(path.join(ROOT, 'libs/sdk/README.md'), path.join(OUT, 'README.md'));

  const tarball = execFileSync('npm', ['pack', '--pack-destination', path.join(ROOT, '.cache')], {
    cwd: OUT,
    encoding: 'utf8',
  }).trim();
  console.log(`packed .cache/${tarball.split('\n').pop()}`);
}

main();
