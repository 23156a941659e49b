#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * What recording costs an `llm` agent's call (issue 27, ADR 0036): two llm
 * agents on the same local OpenAI-compatible server, the same model, prompt
 * and answer, one recording its calls (the default) and one with
 * `config.record: false` (nothing looked up, nothing written). Each is
 * invoked one call at a time (`POST /v1/agents/{name}/invoke`) in alternating
 * blocks, so both see the same moments of a loaded machine. Two figures per
 * agent: the task's time inside agent-manager (`duration_ms` of the task row:
 * budget check, record look-up, the model call, the record's write) and the
 * whole invoke as the client sees it. Every input differs, so nothing is
 * answered from the record: this is the price of a call that is recorded,
 * not the saving of one that is reused.
 * Usage: npm run build && node bench/llm-recording.js
 */
const { createServer } = require('node:http');
const { performance } = require('node:perf_hooks');
const { Client } = require('pg');
const { startBenchPlatform } = require('./bench-platform');
const { summarize, machine, runMain } = require('./stats');

const CALLS = Number(process.env.BENCH_CALLS ?? 400);
const BLOCKS = Number(process.env.BENCH_BLOCKS ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 40);
const MODEL = 'bench-model';
const log = (/** @type {string} */ line) => process.stderr.write(`${line}\n`);

/** An OpenAI-compatible chat completions endpoint answering one JSON object with usage. */
async function startModelServer() {
  let served = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      served += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: `chatcmpl-bench-${served}`,
          object: 'chat.completion',
          model: MODEL,
          choices: [
            {
              index: 0,
              finish_reason: 'stop',
              message: { role: 'assistant', content: '{"category":"billing","confidence":0.92}' },
            },
          ],
          usage: { prompt_tokens: 120, completion_tokens: 12, total_tokens: 132 },
        }),
      );
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return { url: `http://127.0.0.1:${port}/v1`, served: () => served, server };
}

async function main() {
  const model = await startModelServer();
  const platform = await startBenchPlatform({
    log,
    extraEnv: {
      LLM_PRICES: JSON.stringify({ [MODEL]: { prompt_per_1k: 0.001, completion_per_1k: 0.002 } }),
    },
  });
  const db = new Client({ connectionString: platform.databaseUrl });
  await db.connect();
  try {
    const { api } = platform;
    const agents = { recorded: 'bench-recorded', unrecorded: 'bench-unrecorded' };
    for (const [kind, name] of Object.entries(agents)) {
      await api('POST', '/v1/agents', {
        name,
        type: 'llm',
        config: {
          base_url: model.url,
          model: MODEL,
          system_prompt: 'Classify the customer inquiry.',
          ...(kind === 'unrecorded' ? { record: false } : {}),
        },
      });
    }

    let sequence = 0;
    /** @param {string} agent @param {number} n @param {number[]} into */
    const invoke = async (agent, n, into) => {
      for (let i = 0; i < n; i++) {
        sequence += 1;
        const started = performance.now();
        await api('POST', `/v1/agents/${agent}/invoke`, {
          input: { text: `Charged twice for order ${sequence}` },
          timeout: 10_000,
        });
        into.push(performance.now() - started);
      }
    };
    log(`warming up (${WARMUP} calls each)…`);
    for (const name of Object.values(agents)) await invoke(name, WARMUP, []);
    const warmedUp = new Date();

    /** @type {Record<string, number[]>} */
    const invokeMs = { recorded: [], unrecorded: [] };
    const perBlock = Math.ceil(CALLS / BLOCKS);
    for (let block = 0; block < BLOCKS; block++) {
      for (const [kind, name] of Object.entries(agents)) {
        await invoke(name, perBlock, invokeMs[kind]);
      }
      log(`block ${block + 1}/${BLOCKS}`);
    }

    /** @param {string} agent */
    const taskDurations = async (agent) =>
      (
        await db.query(
          `SELECT duration_ms FROM agent_manager.tasks
            WHERE agent = $1 AND created_at > $2 AND status = 'completed'`,
          [agent, warmedUp],
        )
      ).rows.map((row) => Number(row.duration_ms));
    const recordedRows = await db.query(
      'SELECT agent, count(*)::int AS n FROM agent_manager.llm_calls GROUP BY agent',
    );
    const inService = {
      recorded: summarize(await taskDurations(agents.recorded)),
      unrecorded: summarize(await taskDurations(agents.unrecorded)),
    };
    const client = {
      recorded: summarize(invokeMs.recorded),
      unrecorded: summarize(invokeMs.unrecorded),
    };
    const added = (/** @type {Record<string, ReturnType<typeof summarize>>} */ s) => ({
      mean_ms: Math.round((s.recorded.mean - s.unrecorded.mean) * 100) / 100,
      p50_ms: Math.round((s.recorded.p50 - s.unrecorded.p50) * 100) / 100,
    });
    const result = {
      machine: machine(),
      calls_each: perBlock * BLOCKS,
      model_requests_served: model.served(),
      rows_recorded: Object.fromEntries(recordedRows.rows.map((r) => [r.agent, r.n])),
      task_in_agent_manager_ms: inService,
      invoke_at_client_ms: client,
      recording_adds: { in_agent_manager: added(inService), at_client: added(client) },
      baseline: 'the same agent with config.record false, same server, alternated blocks',
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await db.end();
    await platform.stop();
    await new Promise((resolve) => model.server.close(() => resolve(undefined)));
  }
}

runMain(main);
