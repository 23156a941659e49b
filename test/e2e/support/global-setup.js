// @ts-check
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { randomBytes } = require('node:crypto');
const { ensureInfra } = require('../../../scripts/infra');
const { SERVICES } = require('../../../scripts/platform/services');
const { startService, waitReady, ROOT } = require('../../../scripts/platform/launcher');
const { freshDatabase } = require('../../../scripts/platform/database');
const { ensureLocalKeyring } = require('../../../scripts/platform/keyring');
const { preparePrincipals } = require('../../../scripts/platform/kafka-principals');
const {
  STATE_FILE,
  E2E_PORT_OFFSET,
  E2E_DATABASE,
  FAKE_KUBERNETES,
  KUBECONFIG_FILE,
  KEYRING_FILE,
} = require('./paths');

/**
 * Starts Kafka and Postgres (or uses KAFKA_BROKERS / DATABASE_URL), a fresh
 * database, and the six services as separate processes on their own ports.
 */
module.exports = async function globalSetup() {
  const started = Date.now();
  const log = (/** @type {string} */ line) => process.stderr.write(`${line}\n`);
  const infra = await ensureInfra({ log });
  // On a SASL broker (the default here, jest-e2e.config.js): the services' ACLs in force before
  // they start, each service's own principal, and the default workspace's worker credential for
  // the tests' agent workers and the workers agent-manager provisions.
  const principals = await preparePrincipals(infra, { workspaces: ['default'], log });
  const databaseUrl = await freshDatabase(infra.databaseUrl, E2E_DATABASE);
  const apiKey = `bk_e2e_${randomBytes(24).toString('base64url')}`;
  const logDir = path.join(ROOT, '.cache', 'e2e-logs');
  fs.rmSync(logDir, { recursive: true, force: true });
  const env = {
    KAFKA_BROKERS: infra.kafkaBrokers,
    DATABASE_URL: databaseUrl,
    BATON_BOOTSTRAP_API_KEY: apiKey,
    LOG_LEVEL: 'info',
    // Fast failure detection in tests; production keeps the 30 s default.
    AUTH_CACHE_TTL_MS: '1000',
    // The suite's many requests with one key must not reach the request limits;
    // rate-limits.e2e-spec.ts sets low limits on a workspace of its own.
    RATE_LIMIT_REQUESTS_PER_KEY: '100000000',
    RATE_LIMIT_REQUESTS_PER_WORKSPACE: '100000000',
    SSE_MAX_STREAMS_PER_WORKSPACE: '100000',
    // Specs send many bad credentials from 127.0.0.1; audit.e2e-spec.ts restarts the gateway
    // with a small limit to see the 429.
    AUTH_FAILURE_LIMIT: '100000',
    // Task callbacks are signed with this; tests verify the signature with it.
    BATON_CALLBACK_SECRET: 'e2e-callback-signing-secret',
    // The tests' callback and webhook receivers listen on 127.0.0.1.
    CALLBACK_ALLOW_PRIVATE_NETWORKS: 'true',
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    // identity-providers.e2e-spec.ts runs its OpenID provider on 127.0.0.1, over http.
    IDENTITY_PROVIDER_ALLOW_PRIVATE_NETWORKS: 'true',
    // Baton's tokens name the gateway as clients reach it here.
    BATON_TOKEN_ISSUER: `http://127.0.0.1:${3000 + E2E_PORT_OFFSET}`,
    // A keyring of its own for the fresh database; secrets-vault.e2e-spec.ts rotates it in place.
    BATON_ENCRYPTION_KEYS: ensureLocalKeyring(KEYRING_FILE, { fresh: true }),
    // Re-seal after a rotation within a second, and see vault changes within one.
    BATON_RESEAL_INTERVAL_MS: '1000',
    AGENT_SECRET_CACHE_MS: '1000',
    // llm-calls.e2e-spec.ts checks the recorded cost of its model's calls.
    LLM_PRICES: JSON.stringify({ 'recorded-model': { prompt_per_1k: 1, completion_per_1k: 2 } }),
    // Connectors (http, postgres, mysql) reach the test servers and the machine's databases on loopback.
    CONNECTOR_ALLOWED_NETWORKS: '127.0.0.0/8,::1',
    // The process provisioner may start node (the example provisioned worker).
    AGENT_PROVISIONER_COMMANDS: process.execPath,
    // Retention runs every second, so a test can watch it delete.
    AGENT_PRUNE_INTERVAL_MS: '1000',
    EVENT_RETENTION_INTERVAL_MS: '1000',
    // Alerts are evaluated every second (30 s by default), so alert specs see transitions soon.
    ALERT_EVALUATION_INTERVAL_MS: '1000',
    // Missing topics come back within seconds, so kafka-heal.e2e-spec.ts can watch it happen;
    // outbox rows wait 10 s for them before a task is answered as undeliverable.
    TOPIC_RECONCILE_INTERVAL_MS: '2000',
    OUTBOX_MISSING_TOPIC_GRACE_MS: '10000',
    // The kubernetes provisioner talks to the fake API server agent-kubernetes.e2e-spec.ts
    // starts; with no kubernetes agent registered it sends nothing.
    KUBECONFIG: writeKubeconfig(),
    AGENT_KUBERNETES_NAMESPACES: 'baton-agents,team-b',
    AGENT_KUBERNETES_KAFKA_BROKERS: 'kafka.baton.svc:9092',
  };
  // Each service's own KAFKA_SASL_* (password file paths, no password), on top of `env`.
  /** @type {Record<string, Record<string, string>>} */
  const serviceEnv = principals?.services ?? {};
  const services = SERVICES.map((s) =>
    startService({
      name: s.name,
      port: s.port + E2E_PORT_OFFSET,
      env: { ...env, ...serviceEnv[s.name] },
      logDir,
    }),
  );
  /** @type {any} */ (globalThis).__BATON_SERVICES__ = services;
  await Promise.all(services.map((s) => waitReady(s, 120_000)));
  const gateway = services.find((s) => s.name === 'gateway');
  const state = {
    gatewayUrl: `http://127.0.0.1:${gateway?.port}`,
    apiKey,
    kafkaBrokers: infra.kafkaBrokers,
    databaseUrl,
    // What a test needs to start one service again (support/service-control.ts).
    env,
    serviceEnv,
    // SASL: where the tests' own clients find the admin's credential and the workers' settings.
    kafkaSecurity: principals
      ? { credentialsFile: infra.kafkaSasl?.credentialsFile, workers: principals.workers }
      : undefined,
    logDir,
    services: services.map((s) => ({
      name: s.name,
      port: s.port,
      pid: s.child.pid,
      logFile: s.logFile,
    })),
  };
  fs.writeFileSync(STATE_FILE, JSON.stringify(state, null, 2));
  process.stderr.write(
    `\nBaton e2e: six services ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
};

/** A kubeconfig (JSON is YAML) for the fake Kubernetes API, with a bearer token as a real one has. */
function writeKubeconfig() {
  const { port, token } = FAKE_KUBERNETES;
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    // client-node accepts plain http only with TLS verification off, as it is for a local fake.
    clusters: [
      {
        name: 'fake',
        cluster: { server: `http://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true },
      },
    ],
    users: [{ name: 'agent-manager', user: { token } }],
    contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'agent-manager' } }],
    'current-context': 'fake',
  };
  fs.mkdirSync(path.dirname(KUBECONFIG_FILE), { recursive: true });
  fs.writeFileSync(KUBECONFIG_FILE, JSON.stringify(config, null, 2), { mode: 0o600 });
  return KUBECONFIG_FILE;
}
