// @ts-check
'use strict';

const http = require('node:http');
const https = require('node:https');

/**
 * One GET with a hard time limit, over HTTP or HTTPS (trusting `ca`, the
 * gateway's own certificate when it serves TLS). No keep-alive: a pooled
 * socket could be reused by a later request just as the service closes it.
 * Resolves with the status and body; rejects on timeout or a refused socket.
 * @param {string} url
 * @param {{ timeoutMs: number, ca?: string }} options
 * @returns {Promise<{ status: number, body: string }>}
 */
function probe(url, options) {
  const client = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.get(
      url,
      { agent: false, ca: options.ca, headers: { connection: 'close' } },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        response.on('error', reject);
      },
    );
    // A hung event loop accepts the connection (the kernel does) but never answers:
    // only a timeout on the whole exchange tells that apart from a slow answer.
    request.setTimeout(options.timeoutMs, () =>
      request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)),
    );
    request.on('error', reject);
  });
}

module.exports = { probe };
