// @ts-check
'use strict';

/**
 * kafkajs as the benchmarks use it: with the idle-timer fix Baton's own
 * clients carry (libs/kafka/src/kafkajs-idle-timer-fix.ts), so that neither
 * the bare baseline nor a watcher spins a timer Baton's processes do not.
 * Needs the build (npm run bench builds first).
 */
require('../dist/libs/kafka/src/kafkajs-idle-timer-fix').fixKafkajsIdleTimer();

module.exports = require('kafkajs');
