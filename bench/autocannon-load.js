// @ts-check
'use strict';

const autocannon = require('autocannon');

/**
 * Load from a generator nobody here wrote (autocannon, npm): `rate` requests a
 * second (or as fast as `connections` keep-alive connections allow, without
 * `rate`) for `seconds`, or `amount` requests in all. With a rate, autocannon
 * corrects its latencies for coordinated omission (a request that could not be
 * sent on time counts from when it was due), as an open-loop client would.
 * Answers autocannon's own figures, plus its raw result for the report.
 * @param {{ url: string, method?: 'GET' | 'POST', apiKey: string, body?: unknown,
 *   rate?: number, seconds?: number, amount?: number, connections?: number }} spec
 */
async function autocannonLoad(spec) {
  const result = await autocannon({
    url: spec.url,
    method: spec.method ?? 'GET',
    headers: {
      authorization: `Bearer ${spec.apiKey}`,
      ...(spec.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(spec.body === undefined ? {} : { body: JSON.stringify(spec.body) }),
    connections: spec.connections ?? 50,
    ...(spec.rate ? { overallRate: spec.rate } : {}),
    ...(spec.amount ? { amount: spec.amount } : { duration: spec.seconds ?? 10 }),
    timeout: 30,
  });
  const round = (/** @type {number} */ n) => Math.round(n * 100) / 100;
  return {
    generator: `autocannon ${require('autocannon/package.json').version}`,
    n: result.latency.totalCount,
    // Requests that completed (n also counts the ones coordinated-omission correction adds).
    completed: result.requests.total,
    p50: round(result.latency.p50),
    p99: round(result.latency.p99),
    mean: round(result.latency.mean),
    max: round(result.latency.max),
    requests_per_s: round(result.requests.average),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: result.duration,
  };
}

/** One line of autocannon's figures. @param {Awaited<ReturnType<typeof autocannonLoad>>} r */
function autocannonLine(r) {
  return `p50 ${r.p50} ms   p99 ${r.p99} ms   mean ${r.mean} ms   (n ${r.n}, ${r.requests_per_s} req/s, ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts; ${r.generator})`;
}

module.exports = { autocannonLoad, autocannonLine };
