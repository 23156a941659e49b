#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * The console's runs page with 10,000 runs in the workspace: time from
 * navigation to the first page of runs on screen (the page is usable then:
 * its links and filter answer), in Debian's Chromium, cold (first load) and
 * warm (assets cached). Baseline: the same GET /v1/runs?limit=50 from Node,
 * in the same run, which the page cannot beat. Also prints the bundle size.
 * Usage: npm run build && node bench/console-runs-page.js
 */
const fs = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const zlib = require('node:zlib');
const { chromium } = require('playwright-core');
const { Kafka, logLevel } = require('kafkajs');
const { startBenchPlatform } = require('./bench-platform');
const { startWithEvents } = require('./ingress-events');
const { summarize, machine, runMain } = require('./stats');

const RUNS = Number(process.env.BENCH_RUNS ?? 10_000);
const LOADS = Number(process.env.BENCH_LOADS ?? 20);
const SEED_BATCH = 1000;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const log = (/** @type {string} */ line) => process.stderr.write(`${line}\n`);

/** The built console's assets: bytes on disk and gzipped (what a browser downloads). */
function bundleSize() {
  const dir = path.join(__dirname, '..', 'dist', 'console', 'assets');
  return fs.readdirSync(dir).map((file) => {
    const bytes = fs.readFileSync(path.join(dir, file));
    return { file, bytes: bytes.length, gzip: zlib.gzipSync(bytes).length };
  });
}

async function main() {
  const bundle = bundleSize();
  const platform = await startBenchPlatform({ log });
  const headers = {
    authorization: `Bearer ${platform.apiKey}`,
    'content-type': 'application/json',
  };
  /** One API call; 5xx (the engine still joining its consumers) is retried. */
  const http = async (
    /** @type {string} */ method,
    /** @type {string} */ url,
    /** @type {unknown} */ body,
  ) => {
    for (let attempt = 1; ; attempt++) {
      const response = await fetch(platform.gatewayUrl + url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (response.ok) return response.json();
      const text = await response.text();
      if (response.status < 500 || attempt === 5) {
        throw new Error(`${method} ${url}: ${response.status} ${text}`);
      }
    }
  };
  let browser;
  try {
    // Runs that wait for an event stay running: one engine decision each, as cheap as a run gets.
    // They are started the way a system integrated over Kafka starts them: one event each, written
    // to baton.events.ingress in batches of 1,000 by a plain producer (no SQL, no request per run).
    await http('POST', '/v1/workflows', {
      workflow: {
        name: 'bench-waits',
        trigger: 'bench.bench-waits',
        steps: [{ name: 'wait', wait_for_event: { type: 'bench.never', timeout: '1d' } }],
      },
    });
    log(`starting ${RUNS} runs through events…`);
    const seedStart = performance.now();
    const kafka = new Kafka({
      brokers: platform.infra.kafkaBrokers.split(','),
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer();
    await producer.connect();
    for (let sent = 0; sent < RUNS; sent += SEED_BATCH) {
      await startWithEvents(
        producer,
        'bench-waits',
        Math.min(SEED_BATCH, RUNS - sent),
        'bench/console',
      );
    }
    await producer.disconnect();
    // Counted through the API the page uses, 200 a page, until every run exists.
    for (;;) {
      let count = 0;
      let cursor = '';
      do {
        const page = await http(
          'GET',
          `/v1/runs?workflow=bench-waits&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        count += page.items.length;
        cursor = page.next_cursor ?? '';
      } while (cursor);
      log(`  ${count} runs`);
      if (count >= RUNS) break;
      await new Promise((resolve) => setTimeout(resolve, 5000));
    }
    log(`${RUNS} runs in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

    const api = [];
    for (let i = 0; i < LOADS; i++) {
      const start = performance.now();
      const page = await http('GET', '/v1/runs?limit=50');
      api.push(performance.now() - start);
      if (page.items.length !== 50) throw new Error('expected a full first page of runs');
    }

    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    // Signed in as the sign-in page would leave the tab.
    await context.addInitScript(
      `sessionStorage.setItem('baton.console.apiKey', ${JSON.stringify(platform.apiKey)})`,
    );
    const loads = [];
    for (let i = 0; i <= LOADS; i++) {
      const page = await context.newPage();
      await page.goto(`${platform.gatewayUrl}/console/runs`);
      // A function, not a string: the console's CSP forbids eval, and string predicates use it.
      await page.waitForFunction(
        () =>
          // eslint-disable-next-line no-undef -- runs in the page
          document.querySelectorAll('[data-testid=runs-table] tbody tr').length >= 50,
        undefined,
        { polling: 'raf', timeout: 60_000 },
      );
      // performance.now() in the page counts from the navigation's start.
      loads.push(/** @type {number} */ (await page.evaluate('performance.now()')));
      await page.close();
    }
    const [cold, ...warm] = loads;
    const figures = {
      runs: RUNS,
      bundle,
      cold_ms: Math.round(cold),
      warm_ms: summarize(warm),
      api_ms: summarize(api),
      machine: machine(),
    };
    fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
    fs.writeFileSync(
      path.join(__dirname, 'results', 'console-runs-page.json'),
      JSON.stringify(figures, null, 2),
    );
    const total = bundle.reduce(
      (sum, b) => ({ bytes: sum.bytes + b.bytes, gzip: sum.gzip + b.gzip }),
      {
        bytes: 0,
        gzip: 0,
      },
    );
    process.stdout.write(`
console bundle: ${bundle.map((b) => `${b.file} ${(b.bytes / 1024).toFixed(1)} KiB (${(b.gzip / 1024).toFixed(1)} KiB gzip)`).join(', ')}
                total ${(total.bytes / 1024).toFixed(1)} KiB, ${(total.gzip / 1024).toFixed(1)} KiB gzipped
runs page with ${RUNS} runs in the workspace, navigation → first 50 runs on screen (Chromium, 1280×720)
  cold (first load):     ${figures.cold_ms} ms
  warm (${warm.length} loads):       p50 ${figures.warm_ms.p50} ms, p99 ${figures.warm_ms.p99} ms
  baseline: GET /v1/runs?limit=50 from Node: p50 ${figures.api_ms.p50} ms, p99 ${figures.api_ms.p99} ms
  ${figures.machine}
`);
  } finally {
    await browser?.close();
    await platform.stop();
  }
}

runMain(main);
