// @ts-check
'use strict';

const path = require('node:path');

module.exports = {
  STATE_FILE: path.resolve(__dirname, '..', '..', '..', '.cache', 'e2e-state.json'),
  /** e2e services listen on 41xx so a running `npm run up` (30xx) is left alone. */
  E2E_PORT_OFFSET: 1100,
  /**
   * agent-manager's kubeconfig points at this address, where agent-kubernetes.e2e-spec.ts
   * starts its fake Kubernetes API (support/fake-kubernetes.ts) with this token.
   */
  FAKE_KUBERNETES: { port: 4190, token: 'e2e-fake-kubernetes-token-4b7c1f' },
  KUBECONFIG_FILE: path.resolve(__dirname, '..', '..', '..', '.cache', 'e2e-kubeconfig.json'),
};
