// @ts-check
'use strict';

const { randomUUID } = require('node:crypto');

/**
 * Watches `workflow.run.*` terminal events as they reach Kafka, so that a
 * benchmark waiting for runs to end puts no load on the platform (polling the
 * API every few milliseconds would compete with the work being measured).
 * With `gatherMs` the broker holds the watcher's fetches that long (or until
 * a megabyte is there), so it wakes a few times a second instead of at every
 * step's events: for a benchmark whose clock is server-side, where only the
 * load the watcher adds would show.
 * @param {import('kafkajs').Kafka} kafka
 * @param {{ gatherMs?: number }} [options]
 */
async function watchCompletions(kafka, options = {}) {
  /** @type {Map<string, number>} completed runs per workflow */
  const completed = new Map();
  /** @type {Map<string, (type: string) => void>} */
  const waiting = new Map();
  /** @type {Map<string, string>} runs that ended before anyone waited for them */
  const ended = new Map();
  const consumer = kafka.consumer({
    groupId: `bench-completions-${randomUUID()}`,
    ...(options.gatherMs ? { minBytes: 1 << 20, maxWaitTimeInMs: options.gatherMs } : {}),
  });
  await consumer.connect();
  await consumer.subscribe({ topics: ['baton.workflow.events'], fromBeginning: false });
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
  await consumer.run({
    eachMessage: async ({ message }) => {
      const event = JSON.parse(message.value?.toString() ?? '{}');
      if (!['workflow.run.completed', 'workflow.run.failed'].includes(event.type)) return;
      const workflow = event.data?.workflow;
      const runId = event.data?.run_id;
      if (event.type === 'workflow.run.completed')
        completed.set(workflow, (completed.get(workflow) ?? 0) + 1);
      const resolve = waiting.get(runId);
      if (resolve) resolve(event.type);
      else ended.set(runId, event.type);
    },
  });
  while (!joined) await new Promise((resolve) => setTimeout(resolve, 100));
  return {
    /** @param {string} workflow */
    count: (workflow) => completed.get(workflow) ?? 0,
    /**
     * Resolves with the run's terminal event type.
     * @param {string} runId
     * @param {number} timeoutMs
     * @returns {Promise<string>}
     */
    waitFor: (runId, timeoutMs) => {
      const already = ended.get(runId);
      if (already) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`run ${runId} did not end`)), timeoutMs);
        waiting.set(runId, (type) => {
          clearTimeout(timer);
          waiting.delete(runId);
          resolve(type);
        });
      });
    },
    stop: () => consumer.disconnect(),
  };
}

module.exports = { watchCompletions };
