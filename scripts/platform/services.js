// @ts-check
'use strict';

/** The six Baton services, their default ports and compiled entry points. */
const SERVICES = [
  { name: 'security-manager', port: 3001, database: true },
  { name: 'agent-manager', port: 3002, database: true },
  { name: 'workflow-engine', port: 3003, database: true },
  { name: 'integration-manager', port: 3004, database: true },
  { name: 'event-manager', port: 3005, database: true },
  { name: 'gateway', port: 3000, database: false },
];

/** @param {string} name */
function entryPoint(name) {
  return `dist/apps/${name}/src/main.js`;
}

/**
 * Where a service on `port` serves /metrics when METRICS_PORT is not set
 * (libs/service-kit/src/metrics-access.ts): never on the API port.
 * @param {number} port
 */
function metricsPortOf(port) {
  return port + 6000;
}

module.exports = { SERVICES, entryPoint, metricsPortOf };
