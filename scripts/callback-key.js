#!/usr/bin/env node
// @ts-check
'use strict';

// `BATON_CALLBACK_SECRET=… node scripts/callback-key.js <workspace-id>` prints the key that
// workspace's task callbacks are signed with (x-baton-signature: sha256=HMAC-SHA256(key, body)).
// Each workspace has its own, derived from the platform secret, so the operator hands a tenant
// its key and no tenant can sign for another. Keep it in step with workspaceCallbackKey() in
// apps/agent-manager/src/callbacks/callback-signature.ts.
const { createHmac } = require('node:crypto');

const [workspace] = process.argv.slice(2);
const secret = process.env.BATON_CALLBACK_SECRET;
if (!workspace || !secret) {
  process.stderr.write(
    'usage: BATON_CALLBACK_SECRET=… node scripts/callback-key.js <workspace-id>\n',
  );
  process.exit(2);
}
process.stdout.write(
  `${createHmac('sha256', secret).update(`baton-callback:${workspace}`).digest('hex')}\n`,
);
