#!/usr/bin/env node
import { runCli } from './cli';

// `npx baton ...` after `npm run build` (the bin of the root package.json).
void runCli(process.argv, {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
  interactive: Boolean(process.stderr.isTTY),
}).then((code) => {
  process.exitCode = code;
});
