#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * Where an invoke's time goes, hop by hop. Sends invokes one at a time (no
 * queueing, so each figure is the path's own cost) to a no-op rules agent and
 * a no-op worker agent, while a watcher reads the topics the invoke crosses
 * and takes each message's broker timestamp (CreateTime, set by the producer
 * when it sends). Per invoke it prints the median of each hop:
 *   http→cmd     client sends the request → gateway produced the invocation
 *   cmd→task     invocation produced → agent-manager produced the worker's task
 *   task→result  task produced → worker produced its result
 *   result→reply result produced → agent-manager produced the gateway's reply
 *   cmd→reply    (rules) invocation produced → reply produced
 *   reply→http   reply produced → the client has the HTTP answer
 * Usage: npm run build && node bench/invoke-hops.js  (BENCH_INVOKES=200)
 */
const path = require('node:path');
const { Kafka, logLevel } = require('./kafkajs');
const { startBenchPlatform } = require('./bench-platform');
const { summarize, machine, runMain } = require('./stats');

const ROOT = path.resolve(__dirname, '..');
const INVOKES = Number(process.env.BENCH_INVOKES ?? 200);
const log = (/** @type {string} */ line) => process.stderr.write(`${line}\n`);

/** Broker timestamps of every message the watcher saw, by the id that ties it to an invoke. */
class Watcher {
  constructor() {
    /** @type {Map<string, Record<string, number>>} */
    this.seen = new Map();
  }

  /** @param {string} key @param {string} hop @param {number} at */
  mark(key, hop, at) {
    const marks = this.seen.get(key) ?? {};
    marks[hop] ??= at;
    this.seen.set(key, marks);
  }

  /** @param {import('kafkajs').Kafka} kafka @param {string[]} topics */
  async start(kafka, topics) {
    this.consumer = kafka.consumer({ groupId: `bench-hops-${Date.now()}`, maxWaitTimeInMs: 100 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics, fromBeginning: false });
    let ready = () => {};
    const joined = new Promise((resolve) => (ready = () => resolve(undefined)));
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => ready());
    await this.consumer.run({
      eachMessage: async ({ topic, message }) => {
        const at = Number(message.timestamp);
        let envelope;
        try {
          envelope = JSON.parse(String(message.value));
        } catch {
          return;
        }
        if (topic === 'baton.agent.invocations') this.mark(envelope.id, 'cmd', at);
        else if (topic === 'baton.gateway.replies') this.mark(envelope.causationid, 'reply', at);
        else if (topic === 'baton.agent.results') this.mark(envelope.data?.task_id, 'result', at);
        else this.mark(envelope.data?.task_id, 'task', at);
      },
    });
    await joined;
  }

  async stop() {
    await this.consumer?.disconnect();
  }
}

async function main() {
  const platform = await startBenchPlatform({ log });
  const { OrchestratePlatform, AgentWorker } = require(path.join(ROOT, 'dist/libs/sdk/src'));
  const brokers = platform.infra.kafkaBrokers.split(',');
  const suffix = Date.now().toString(36);
  const agents = { worker: `hops-worker-${suffix}`, rules: `hops-rules-${suffix}` };
  const orchestrate = new OrchestratePlatform({
    apiKey: platform.apiKey,
    endpoint: platform.gatewayUrl,
  });
  const watcher = new Watcher();
  let worker;
  try {
    await orchestrate.registerAgent({ name: agents.worker, type: 'worker' });
    await orchestrate.registerAgent({
      name: agents.rules,
      type: 'rules',
      config: { rules: [], default: { ok: true } },
    });
    worker = new AgentWorker({
      agent: agents.worker,
      handler: (/** @type {unknown} */ i) => i,
      brokers,
    });
    await worker.start();
    const kafka = new Kafka({ clientId: 'bench-hops', brokers, logLevel: logLevel.NOTHING });
    await watcher.start(kafka, [
      'baton.agent.invocations',
      'baton.gateway.replies',
      'baton.agent.results',
      `baton.agent.tasks.default.${agents.worker}`,
    ]);

    for (const kind of /** @type {const} */ (['rules', 'worker'])) {
      /** @type {Record<string, number[]>} */
      const hops = {};
      const add = (/** @type {string} */ name, /** @type {number} */ ms) =>
        (hops[name] ??= []).push(ms);
      for (let i = 0; i < INVOKES + 10; i++) {
        const sent = Date.now();
        const answer = await orchestrate.invokeAgent({
          agent_id: agents[kind],
          input: { ping: i },
          timeout: 10_000,
        });
        const answered = Date.now();
        await new Promise((resolve) => setTimeout(resolve, 20));
        if (i < 10) continue; // warm-up
        const marks = watcher.seen.get(answer.task_id) ?? {};
        add('total', answered - sent);
        if (marks.cmd) add('http→cmd', marks.cmd - sent);
        if (marks.reply) add('reply→http', answered - marks.reply);
        if (kind === 'rules' && marks.cmd && marks.reply) add('cmd→reply', marks.reply - marks.cmd);
        if (marks.cmd && marks.task) add('cmd→task', marks.task - marks.cmd);
        if (marks.task && marks.result) add('task→result', marks.result - marks.task);
        if (marks.result && marks.reply) add('result→reply', marks.reply - marks.result);
      }
      log(`\n${kind} agent, ${INVOKES} invokes one at a time (ms, broker timestamps):`);
      for (const [name, values] of Object.entries(hops)) {
        const s = summarize(values);
        log(`  ${name.padEnd(13)} n=${s.n} p50 ${s.p50} p99 ${s.p99} max ${s.max}`);
      }
    }
    log(`\nmachine: ${machine()}`);
  } finally {
    await watcher.stop().catch(() => undefined);
    await worker?.stop().catch(() => undefined);
    await platform.stop();
  }
}

runMain(main);
