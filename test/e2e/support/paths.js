// @ts-check
'use strict';

const path = require('node:path');

module.exports = {
  STATE_FILE: path.resolve(__dirname, '..', '..', '..', '.cache', 'e2e-state.json'),
  /** e2e services listen on 41xx so a running `npm run up` (30xx) is left alone. */
  E2E_PORT_OFFSET: 1100,
};
