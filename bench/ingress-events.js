// @ts-check
'use strict';

const { randomUUID } = require('node:crypto');

/**
 * Starts `count` runs of `workflow` the way a system integrated over Kafka
 * does: CloudEvents of type `bench.<workflow>` written to
 * baton.events.ingress by a plain producer; the workflow's trigger starts one
 * run per event.
 * @param {import('kafkajs').Producer} producer
 * @param {string} workflow
 * @param {number} count
 * @param {string} source the benchmark, as the events' `source`
 */
async function startWithEvents(producer, workflow, count, source) {
  const messages = Array.from({ length: count }, (_, n) => {
    const id = randomUUID();
    const event = {
      specversion: '1.0',
      id,
      type: `bench.${workflow}`,
      source,
      workspaceid: 'default',
      datacontenttype: 'application/json',
      data: { n },
    };
    return { key: id, value: JSON.stringify(event) };
  });
  await producer.send({ topic: 'baton.events.ingress', messages });
}

module.exports = { startWithEvents };
