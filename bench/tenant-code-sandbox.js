#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * What the tenant-code sandbox (ADR 0015) costs on the hot path: a typical
 * workflow step's input template evaluated with plain JSONata, with the
 * bounded evaluator (@baton/tenant-code), and through the DSL as the engine
 * does (evaluateTemplate: simple paths resolved directly, JSONata bounded).
 * The three alternate in blocks so that they see the same moments of a noisy
 * machine. Usage: npm run build && node bench/tenant-code-sandbox.js
 */
const path = require('node:path');
const jsonata = require('jsonata');
const { summarize, machine, runMain } = require('./stats');

const ROOT = path.resolve(__dirname, '..');
const EVALUATIONS = Number(process.env.BENCH_EVALUATIONS ?? 20_000);
const BLOCKS = Number(process.env.BENCH_BLOCKS ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5_000);

// A step's input as the seed's workflows write them: paths, a sum, a condition.
const EXPRESSION =
  '{ "customer": input.customer.name, "email": $lowercase(input.customer.email), ' +
  '"total": $sum(input.order.lines.(qty * price)), "skus": input.order.lines.sku, ' +
  '"priority": input.priority = "high" ? "urgent" : "normal", "category": classify.output.category }';
const TEMPLATE = {
  customer: '${input.customer.name}',
  email: '${$lowercase(input.customer.email)}',
  total: '${$sum(input.order.lines.(qty * price))}',
  skus: '${input.order.lines.sku}',
  priority: '${input.priority = "high" ? "urgent" : "normal"}',
  category: '${classify.output.category}',
};
const SCOPE = {
  input: {
    customer: { name: 'Ada Lovelace', email: 'ADA@example.com' },
    order: {
      id: 'o-1',
      lines: [
        { sku: 'a-1', qty: 2, price: 9.5 },
        { sku: 'b-2', qty: 1, price: 120 },
        { sku: 'c-3', qty: 4, price: 3.25 },
      ],
    },
    priority: 'high',
  },
  classify: { output: { category: 'billing', confidence: 0.9 } },
};

runMain(async () => {
  const { compileBoundedJsonata } = require(path.join(ROOT, 'dist/libs/tenant-code/src'));
  const { evaluateTemplate } = require(path.join(ROOT, 'dist/libs/workflow-dsl/src'));
  const plain = jsonata(EXPRESSION);
  const bounded = compileBoundedJsonata(EXPRESSION);
  const expected = JSON.stringify(await plain.evaluate(SCOPE));
  if (JSON.stringify(await bounded.evaluate(SCOPE)) !== expected) {
    throw new Error('the bounded evaluator answers differently from plain JSONata');
  }
  /** @type {Record<string, () => Promise<unknown>>} */
  const variants = {
    'plain jsonata': () => plain.evaluate(SCOPE),
    'sandboxed (tenant-code)': () => bounded.evaluate(SCOPE),
    'engine path (DSL evaluateTemplate, sandboxed)': () => evaluateTemplate(TEMPLATE, SCOPE),
  };
  /** @type {Record<string, number[]>} */
  const samples = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
  for (const run of Object.values(variants)) for (let i = 0; i < WARMUP; i++) await run();
  const perBlock = Math.ceil(EVALUATIONS / BLOCKS);
  for (let block = 0; block < BLOCKS; block++) {
    for (const [name, run] of Object.entries(variants)) {
      for (let i = 0; i < perBlock; i++) {
        const started = process.hrtime.bigint();
        await run();
        samples[name].push(Number(process.hrtime.bigint() - started) / 1_000);
      }
    }
  }
  process.stdout.write(
    `tenant-code sandbox, ${perBlock * BLOCKS} evaluations each, ${machine()}\n`,
  );
  const baseline = summarize(samples['plain jsonata']).mean;
  for (const [name, values] of Object.entries(samples)) {
    const s = summarize(values);
    process.stdout.write(
      `  ${name.padEnd(46)} mean ${s.mean.toFixed(2)} µs  p50 ${s.p50.toFixed(2)} µs  ` +
        `p99 ${s.p99.toFixed(2)} µs  ${Math.round(1e6 / s.mean).toLocaleString('en')} ops/s  ` +
        `(${(s.mean / baseline).toFixed(2)}× plain)\n`,
    );
  }
});
