// @ts-check
'use strict';

const path = require('node:path');

/**
 * e2e services listen on 41xx so a running `npm run up` (30xx) is left alone.
 * BATON_E2E_PORT_OFFSET moves them, so that two checkouts (each with its own
 * broker on its own BATON_KAFKA_PORT and its own BATON_E2E_DATABASE) can run
 * their suites side by side on one machine.
 */
const E2E_PORT_OFFSET = Number(process.env.BATON_E2E_PORT_OFFSET || 1100);

module.exports = {
  STATE_FILE: path.resolve(__dirname, '..', '..', '..', '.cache', 'e2e-state.json'),
  E2E_PORT_OFFSET,
  /** The database the suite recreates at every run. */
  E2E_DATABASE: process.env.BATON_E2E_DATABASE || 'baton_e2e',
  /**
   * agent-manager's kubeconfig points at this address, where agent-kubernetes.e2e-spec.ts
   * starts its fake Kubernetes API (support/fake-kubernetes.ts) with this token.
   */
  FAKE_KUBERNETES: { port: 3090 + E2E_PORT_OFFSET, token: 'e2e-fake-kubernetes-token-4b7c1f' },
  KUBECONFIG_FILE: path.resolve(__dirname, '..', '..', '..', '.cache', 'e2e-kubeconfig.json'),
  /** The suite's encryption keyring (BATON_ENCRYPTION_KEYS), new at every run. */
  KEYRING_FILE: path.resolve(__dirname, '..', '..', '..', '.cache', 'e2e-encryption-keys'),
};
