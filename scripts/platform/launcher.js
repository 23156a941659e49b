// @ts-check
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { entryPoint } = require('./services');
const { probe } = require('./http-probe');

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * `url` is where its /health lives; `ca` is the certificate to trust when that is HTTPS.
 * @typedef {{ name: string, port: number, url: string, ca?: string, child: import('node:child_process').ChildProcess, logFile: string, exited: Promise<number | null> }} Running
 */

/**
 * Starts one service as its own process, its output appended to `logFile`.
 * With `tls` (the gateway's certificate) its health is probed over HTTPS.
 * @param {{ name: string, port: number, env: Record<string, string>, logDir: string, logName?: string, tls?: { ca: string } }} spec
 * @returns {Running}
 */
function startService(spec) {
  fs.mkdirSync(spec.logDir, { recursive: true });
  // A second process of a service (logName) writes a log of its own.
  const logFile = path.join(spec.logDir, `${spec.logName ?? spec.name}.log`);
  const out = fs.openSync(logFile, 'a');
  // BATON_SERVICE_NODE_ARGS: flags for each service's node (e.g. --cpu-prof, which NODE_OPTIONS refuses).
  const nodeArgs = (process.env.BATON_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, entryPoint(spec.name)], {
    cwd: ROOT,
    env: { ...process.env, ...spec.env, PORT: String(spec.port) },
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `${spec.tls ? 'https' : 'http'}://127.0.0.1:${spec.port}`;
  return { name: spec.name, port: spec.port, url, ca: spec.tls?.ca, child, logFile, exited };
}

/**
 * Polls /health/ready until it answers 200, the process dies, or time runs out.
 * @param {Running} service
 * @param {number} timeoutMs
 */
async function waitReady(service, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let dead = false;
  service.exited.then(() => (dead = true));
  let last = '';
  while (Date.now() < deadline) {
    if (dead)
      throw new Error(
        `${service.name} exited during start; see ${service.logFile}:\n${tail(service.logFile)}`,
      );
    try {
      const response = await probe(`${service.url}/health/ready`, {
        timeoutMs: 2000,
        ca: service.ca,
      });
      if (response.status === 200) return;
      last = response.body;
    } catch (error) {
      last = /** @type {Error} */ (error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `${service.name} not ready after ${timeoutMs} ms (${last}); see ${service.logFile}:\n${tail(service.logFile)}`,
  );
}

/**
 * SIGTERM, then SIGKILL after `graceMs`. Resolves with each service's exit code.
 * @param {Running[]} services
 * @param {number} graceMs
 */
async function stopServices(services, graceMs = 15000) {
  return Promise.all(
    services.map(async (service) => {
      if (service.child.exitCode !== null || service.child.signalCode !== null) {
        return { name: service.name, code: service.child.exitCode, forced: false };
      }
      service.child.kill('SIGTERM');
      const timer = setTimeout(() => service.child.kill('SIGKILL'), graceMs);
      const code = await service.exited;
      clearTimeout(timer);
      return { name: service.name, code, forced: service.child.signalCode === 'SIGKILL' };
    }),
  );
}

/** @param {string} file */
function tail(file, lines = 15) {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

module.exports = { startService, waitReady, stopServices, tail, ROOT };
