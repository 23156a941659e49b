// @ts-check
'use strict';

const Sequencer = require('@jest/test-sequencer').default;

/**
 * Specs that take the whole platform down on purpose (the broker wiped,
 * services killed over and over) run last, each after everything that only
 * uses the platform: a spec that fails after them then fails for its own
 * reasons, and the order is the same on every machine (jest's default orders
 * by the durations it cached, which a fresh clone does not have).
 */
const LAST = ['poison-messages', 'faults', 'kafka-heal'];

function rank(/** @type {string} */ path) {
  const index = LAST.findIndex((name) => path.includes(`/${name}.e2e-spec.ts`));
  return index === -1 ? -1 : index;
}

class DisruptiveLast extends Sequencer {
  /** @param {import('jest-runner').Test[]} tests */
  sort(tests) {
    return [...tests].sort((a, b) => rank(a.path) - rank(b.path) || a.path.localeCompare(b.path));
  }
}

module.exports = DisruptiveLast;
