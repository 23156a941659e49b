#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * `npm run up`: the whole platform on this machine, with a demo.
 * Installs what is missing, starts Kafka and Postgres, builds, starts the six
 * services and the example agents, registers the seed workflow and prints how
 * to run it. While it runs, a service or the agents process that dies is
 * restarted, and a service that hangs is killed and restarted
 * (platform/supervisor.js). Ctrl-C stops everything.
 */
const { execSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { randomBytes } = require('node:crypto');

const ROOT = path.resolve(__dirname, '..');
const CACHE = path.join(ROOT, '.cache');
const log = (/** @type {string} */ line) => process.stdout.write(`${line}\n`);

async function main() {
  if (!fs.existsSync(path.join(ROOT, 'node_modules', 'kafkajs'))) {
    log('installing dependencies (npm ci)…');
    execSync('npm ci', { cwd: ROOT, stdio: 'inherit' });
  }
  const { ensureInfra } = require('./infra');
  const { SERVICES } = require('./platform/services');
  const { startService, waitReady } = require('./platform/launcher');
  const { Supervisor } = require('./platform/supervisor');
  const { awaitRequestReply } = require('./platform/ping-check');
  const { ensureLocalKeyring } = require('./platform/keyring');

  const { preparePrincipals } = require('./platform/kafka-principals');

  const infra = await ensureInfra({ log });
  log('building…');
  execSync('npm run build --silent', { cwd: ROOT, stdio: 'inherit' });
  // BATON_KAFKA_SECURITY=sasl: the services' ACLs in force before they start, each service
  // connecting as its own principal, the default workspace's worker credential for the example
  // agents and for the workers agent-manager provisions (ADR 0018). Undefined on PLAINTEXT.
  const principals = await preparePrincipals(infra, { workspaces: ['default'], log });

  const apiKey = process.env.BATON_BOOTSTRAP_API_KEY ?? loadOrCreateApiKey();
  const env = {
    KAFKA_BROKERS: infra.kafkaBrokers,
    DATABASE_URL: infra.databaseUrl,
    BATON_BOOTSTRAP_API_KEY: apiKey,
    // Seals connection credentials, webhook signing secrets and the vault: a keyring this
    // machine generated once into .cache/ (0600), unless one is configured.
    BATON_ENCRYPTION_KEYS:
      process.env.BATON_ENCRYPTION_KEYS ?? ensureLocalKeyring(path.join(CACHE, 'encryption-keys')),
    // Local development: task callbacks and webhooks (the demo's inbox) go to receivers on this machine.
    CALLBACK_ALLOW_PRIVATE_NETWORKS: 'true',
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    IDENTITY_PROVIDER_ALLOW_PRIVATE_NETWORKS: 'true',
    // Connectors (http, postgres, mysql) reach the test servers and the machine's databases on loopback.
    CONNECTOR_ALLOWED_NETWORKS: '127.0.0.0/8,::1',
    // This script and the demo speak plain HTTP to 127.0.0.1; gateway TLS is for deployments
    // (README, "TLS"). An empty value counts as unset.
    GATEWAY_TLS_CERT_FILE: '',
    GATEWAY_TLS_KEY_FILE: '',
    GATEWAY_TLS_CA_FILE: '',
  };
  if (process.env.GATEWAY_TLS_CERT_FILE) {
    log(
      'note: npm run up serves the gateway over plain HTTP on 127.0.0.1; GATEWAY_TLS_* is ignored',
    );
  }
  const logDir = path.join(CACHE, 'logs');
  const started = Date.now();
  const services = SERVICES.map(
    (s) =>
      new Supervisor({
        name: s.name,
        start: () =>
          startService({
            name: s.name,
            port: s.port,
            env: { ...env, ...principals?.services[s.name] },
            logDir,
          }),
        liveUrl: `http://127.0.0.1:${s.port}/health/live`,
        readyUrl: `http://127.0.0.1:${s.port}/health/ready`,
        log,
      }),
  );
  /** @type {InstanceType<typeof Supervisor<{ child: import('node:child_process').ChildProcess }>> | undefined} */
  let agents;
  /** @type {http.Server | undefined} */
  let inbox;
  let stopping = false;
  const stop = async (/** @type {number} */ code) => {
    if (stopping) return;
    stopping = true;
    log('\nstopping…');
    inbox?.close();
    const [results] = await Promise.all([
      Promise.all(services.map((s) => s.stop())),
      agents?.stop(),
    ]);
    for (const r of results)
      log(`  ${r.name}: ${r.forced ? 'killed after the grace period' : 'stopped cleanly'}`);
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    await Promise.all(services.map((s) => waitReady(s.current, 120_000)));
  } catch (error) {
    log(`\n${/** @type {Error} */ (error).message}`);
    await stop(1);
    return;
  }
  log(
    `six services healthy in ${((Date.now() - started) / 1000).toFixed(1)} s (logs in .cache/logs/)`,
  );
  // Up from here: a death or a hang is the supervisor's to handle, not a failed start.
  for (const service of services) service.arm();

  const gatewayUrl = 'http://127.0.0.1:3000';
  await awaitRequestReply({ gatewayUrl, apiKey, log });
  const { OrchestratePlatform } = require(path.join(ROOT, 'dist/libs/sdk/src'));
  const { exampleAgents } = require(
    path.join(ROOT, 'dist/examples/agents/customer-service.agents'),
  );
  const orchestrate = new OrchestratePlatform({
    apiKey,
    endpoint: gatewayUrl,
    workspaceId: 'default',
  });
  for (const agent of exampleAgents) await orchestrate.registerAgent(agent.registration);
  agents = new Supervisor({
    name: 'example agents',
    start: () => ({
      child: spawn(process.execPath, ['dist/examples/agents/run-example-agents.js'], {
        cwd: ROOT,
        env: { ...process.env, KAFKA_BROKERS: infra.kafkaBrokers, ...principals?.workers.default },
        stdio: ['ignore', 'inherit', 'inherit'],
      }),
    }),
    log,
  });
  agents.arm();

  // The demo's "customer channel": send-message delivers here, and we print what arrives.
  inbox = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      try {
        log(`\n[demo inbox] message delivered: ${JSON.parse(body).message}`);
      } catch {
        log(`\n[demo inbox] ${body}`);
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise((resolve) => inbox?.listen(3099, '127.0.0.1', () => resolve(undefined)));
  await fetchJson(`${gatewayUrl}/v1/connections`, apiKey, {
    name: 'default',
    connector: 'webhook',
    config: { url: 'http://127.0.0.1:3099/messages' },
  });
  const yaml = fs.readFileSync(
    path.join(ROOT, 'examples/workflows/customer-inquiry-handler.yaml'),
    'utf8',
  );
  await orchestrate.createWorkflow(yaml);

  log(`
Baton is up.
  gateway   ${gatewayUrl}   (API docs: ${gatewayUrl}/docs)
  console   ${gatewayUrl}/console   (sign in with the API key below)
  API key   ${apiKey}
  workflow  customer-inquiry-handler (the seed's), agents from examples/agents

Run it:
  curl -s -X POST ${gatewayUrl}/v1/workflows/customer-inquiry-handler/runs \\
    -H "Authorization: Bearer ${apiKey}" -H 'Content-Type: application/json' \\
    -d '{"input":{"text":"I was charged twice on my invoice","customer":"Ada"}}'
then GET ${gatewayUrl}/v1/runs/<id> with the same header.
Ctrl-C stops everything.`);
}

function loadOrCreateApiKey() {
  const file = path.join(CACHE, 'api-key');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(CACHE, { recursive: true });
  const key = `bk_${randomBytes(32).toString('base64url')}`;
  fs.writeFileSync(file, key, { mode: 0o600 });
  return key;
}

/**
 * @param {string} url
 * @param {string} apiKey
 * @param {unknown} body
 */
async function fetchJson(url, apiKey, body) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

main().catch((error) => {
  process.stderr.write(`baton up: ${error.message}\n`);
  process.exit(1);
});
