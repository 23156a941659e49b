// @ts-check
'use strict';

/**
 * @typedef {{ service: string, ok: boolean, round_trip_ms: number, error?: string }} ServicePing
 * @typedef {{ ok: boolean, round_trip_ms: number, services: ServicePing[] }} PingView
 */

/**
 * The line `npm run up` prints for one answer of GET /v1/platform/ping.
 * @param {PingView} view
 */
function describePing(view) {
  if (view.ok) return `request/reply through every service: ok (${view.round_trip_ms} ms)`;
  const silent = view.services
    .filter((s) => !s.ok)
    .map((s) => `${s.service} (${s.error ?? 'no answer'})`);
  return `request/reply: no answer from ${silent.join(', ')}`;
}

/**
 * Pings every service through the gateway until all answer or `budgetMs`
 * runs out: right after start a command consumer may still be joining its
 * group, which /health/ready does not always show. Never throws: a service
 * that does not answer is a warning, and the platform stays up to look at.
 * @param {{ gatewayUrl: string, apiKey: string, log: (line: string) => void, budgetMs?: number, intervalMs?: number }} options
 * @returns {Promise<boolean>} whether every service answered
 */
async function awaitRequestReply(options) {
  const deadline = Date.now() + (options.budgetMs ?? 60_000);
  let last = 'no answer from the gateway';
  for (;;) {
    try {
      const response = await fetch(`${options.gatewayUrl}/v1/platform/ping`, {
        headers: { authorization: `Bearer ${options.apiKey}`, connection: 'close' },
        signal: AbortSignal.timeout(10_000),
      });
      const text = await response.text();
      if (response.status === 200 || response.status === 503) {
        last = describePing(JSON.parse(text));
        if (response.status === 200) {
          options.log(last);
          return true;
        }
      } else {
        last = `the gateway answered ${response.status}: ${text.slice(0, 200)}`;
      }
    } catch (error) {
      last = `the gateway did not answer (${/** @type {Error} */ (error).message})`;
    }
    if (Date.now() >= deadline) {
      options.log(`warning: ${last}; see .cache/logs/`);
      return false;
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 1000));
  }
}

module.exports = { describePing, awaitRequestReply };
