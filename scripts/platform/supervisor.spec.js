// @ts-check
'use strict';

const { spawn } = require('node:child_process');
const { Supervisor } = require('./supervisor');

// Fast enough for a test; the decisions themselves are covered in supervision.spec.js.
const policy = {
  baseDelayMs: 50,
  maxDelayMs: 200,
  stableAfterMs: 60_000,
  livenessTimeoutMs: 300,
  livenessIntervalMs: 150,
  livenessFailures: 2,
};

/**
 * @param {() => boolean} condition
 * @param {string} what
 */
async function until(condition, what, timeoutMs = 45_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A real child: `node -e script`. */
const node = (/** @type {string} */ script) => () => ({
  child: spawn(process.execPath, ['-e', script], { stdio: 'ignore' }),
});

// Real processes on a shared, busy machine: starting node can take seconds.
jest.setTimeout(60_000);

describe('Supervisor (real child processes)', () => {
  /** @type {Supervisor<{ child: import('node:child_process').ChildProcess }> | undefined} */
  let supervisor;

  afterEach(async () => {
    await supervisor?.stop(2000);
    supervisor = undefined;
  });

  it('restarts a process that dies, saying how it died and when it comes back', async () => {
    /** @type {string[]} */
    const lines = [];
    supervisor = new Supervisor({
      name: 'crasher',
      start: node('setTimeout(() => process.exit(3), 100)'),
      log: (line) => lines.push(line),
      policy,
    });
    supervisor.arm();
    await until(() => lines.filter((l) => l.includes('restarted')).length >= 2, 'two restarts');
    expect(lines[0]).toMatch(
      /^\[supervisor\] crasher died \(exit code 3\) after .*; restart #1 in 50 ms$/,
    );
    expect(lines).toContainEqual(expect.stringMatching(/restart #2 in 100 ms$/));
  });

  it('kills a process whose /health/live stops answering, restarts it, and says when it is ready', async () => {
    /** @type {string[]} */
    const lines = [];
    const port = 30_000 + (process.pid % 20_000);
    // Answers every path; the first process blocks its event loop for good after a moment.
    const script = (/** @type {boolean} */ hang) => `
      require('node:http').createServer((q, r) => r.end('ok')).listen(${port}, '127.0.0.1');
      ${hang ? 'setTimeout(() => { for (;;) {} }, 1000);' : ''}`;
    let launches = 0;
    supervisor = new Supervisor({
      name: 'hanger',
      start: () => node(script(launches++ === 0))(),
      liveUrl: `http://127.0.0.1:${port}/health/live`,
      readyUrl: `http://127.0.0.1:${port}/health/ready`,
      log: (line) => lines.push(line),
      policy,
    });
    supervisor.arm();
    await until(() => lines.some((l) => l.includes('ready again')), 'ready again after the hang');
    expect(lines[0]).toMatch(
      /^\[supervisor\] hanger hung: \/health\/live did not answer within 300 ms 2 times in a row; killing it \(SIGKILL\)$/,
    );
    expect(lines[1]).toMatch(/^\[supervisor\] hanger died \(signal SIGKILL\)/);
    expect(lines[2]).toMatch(/^\[supervisor\] hanger restarted \(pid \d+\)$/);
    expect(lines[3]).toMatch(/^\[supervisor\] hanger ready again after /);
    expect(launches).toBe(2);
  });

  it('does not restart what it was asked to stop', async () => {
    /** @type {string[]} */
    const lines = [];
    supervisor = new Supervisor({
      name: 'sleeper',
      start: node('setInterval(() => {}, 1000)'),
      log: (line) => lines.push(line),
      policy,
    });
    supervisor.arm();
    const result = await supervisor.stop(2000);
    expect(result).toEqual({ name: 'sleeper', code: null, forced: false });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(lines).toEqual([]);
    expect(supervisor.current.child.signalCode).toBe('SIGTERM');
  });

  it('leaves a death before arm() to the caller', async () => {
    /** @type {string[]} */
    const lines = [];
    supervisor = new Supervisor({
      name: 'early',
      start: node('process.exit(2)'),
      log: (line) => lines.push(line),
      policy,
    });
    const child = supervisor.current.child;
    await new Promise((resolve) => child.once('exit', resolve));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(lines).toEqual([]);
    expect(child.exitCode).toBe(2);
  });
});
