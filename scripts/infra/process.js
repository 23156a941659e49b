// @ts-check
'use strict';

// Helpers for the long-lived servers Baton starts itself. They outlive the `infra:up` process, so
// they are tracked through pid files and identified by their command line, never by name.
const fs = require('node:fs');
const { spawn } = require('node:child_process');

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A server we started from this very process stays a zombie until Node reaps it; it is not running.
 * @param {number} pid
 */
function isZombie(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/**
 * Whether `pid` is alive and, where /proc allows checking, still the process we started: pids get
 * reused, and signalling a stranger's process would be far worse than a stale pid file.
 * @param {number} pid
 * @param {string} [cmdlineMarker] substring expected in the process command line
 */
function isAlive(pid, cmdlineMarker) {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if (/** @type {NodeJS.ErrnoException} */ (err).code !== 'EPERM') return false;
  }
  if (isZombie(pid)) return false;
  if (!cmdlineMarker) return true;
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes(cmdlineMarker);
  } catch {
    return process.platform !== 'linux'; // no /proc (macOS): trust kill(0)
  }
}

/** @param {string} file */
function readPid(file) {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The pid recorded in `file` if that process is still ours; removes a stale file.
 * @param {string} file
 * @param {string} cmdlineMarker
 */
function livePid(file, cmdlineMarker) {
  const pid = readPid(file);
  if (pid && isAlive(pid, cmdlineMarker)) return pid;
  fs.rmSync(file, { force: true });
  return undefined;
}

/**
 * Starts a server in its own session so it survives this Node process and its terminal; output
 * goes to `logFile` because nobody is left to read a pipe.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd: string, logFile: string, pidFile: string, uid?: number, gid?: number }} opts
 */
function spawnDetached(command, args, { cwd, logFile, pidFile, uid, gid }) {
  const fd = fs.openSync(logFile, 'a');
  try {
    const child = spawn(command, args, {
      cwd,
      detached: true,
      stdio: ['ignore', fd, fd],
      ...(uid === undefined ? {} : { uid, gid }),
    });
    if (!child.pid) throw new Error(`could not start ${command}`);
    child.on('error', () => {}); // reported through the liveness checks instead
    child.unref();
    fs.writeFileSync(pidFile, `${child.pid}\n`);
    return child.pid;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * `signal` (SIGTERM by default), then SIGKILL after `graceMs`: a clean shutdown usually needs a
 * few seconds, but a wedged server must not block `infra:down` forever.
 * @param {number} pid
 * @param {{ graceMs?: number, cmdlineMarker?: string, signal?: NodeJS.Signals }} [opts]
 * @returns {Promise<'stopped' | 'killed' | 'gone'>}
 */
async function stopPid(pid, { graceMs = 20_000, cmdlineMarker, signal = 'SIGTERM' } = {}) {
  if (!isAlive(pid, cmdlineMarker)) return 'gone';
  try {
    process.kill(pid, signal);
  } catch {
    return 'gone';
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await sleep(200);
    if (!isAlive(pid)) return 'stopped';
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return 'stopped';
  }
  while (isAlive(pid)) await sleep(100);
  return 'killed';
}

module.exports = { sleep, isAlive, readPid, livePid, spawnDetached, stopPid };
