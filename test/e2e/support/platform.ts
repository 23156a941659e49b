import {
  applyAcls,
  fixKafkajsIdleTimer,
  servicePrincipal,
  topics,
  type KafkaSecurity,
} from '@baton/kafka';
import { OrchestratePlatform } from '@baton/sdk';
import * as fs from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import { METRICS_PORT_OFFSET } from '../../../libs/service-kit/src/metrics-access';
import { STATE_FILE } from './paths';

export interface PlatformState {
  gatewayUrl: string;
  apiKey: string;
  kafkaBrokers: string;
  databaseUrl: string;
  services: { name: string; port: number; pid: number; logFile: string }[];
  /**
   * Set when the broker enforces SASL and ACLs (BATON_KAFKA_SECURITY=sasl): the file with the
   * admin's credential, and each workspace's agent-worker settings (KAFKA_SASL_*, a password file).
   */
  kafkaSecurity?: {
    credentialsFile: string;
    workers: Record<string, Record<string, string>>;
  };
}

export function platformState(): PlatformState {
  return JSON.parse(fs.readFileSync(STATE_FILE, 'utf8')) as PlatformState;
}

export function sdk(): OrchestratePlatform {
  const state = platformState();
  return new OrchestratePlatform({
    apiKey: state.apiKey,
    endpoint: state.gatewayUrl,
    workspaceId: 'default',
  });
}

export interface HttpResult<T = unknown> {
  status: number;
  contentType: string;
  headers: Headers;
  body: T;
}

/** A raw HTTP call to the gateway, for asserting statuses and problem documents. */
export async function api<T = Record<string, unknown>>(
  method: string,
  path: string,
  options: {
    body?: unknown;
    raw?: string;
    contentType?: string;
    apiKey?: string | null;
    headers?: Record<string, string>;
  } = {},
): Promise<HttpResult<T>> {
  const state = platformState();
  const headers: Record<string, string> = { ...options.headers };
  const key = options.apiKey === undefined ? state.apiKey : options.apiKey;
  if (key) headers.authorization = `Bearer ${key}`;
  let body: string | undefined;
  if (options.raw !== undefined) {
    body = options.raw;
    headers['content-type'] = options.contentType ?? 'application/json';
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(state.gatewayUrl + path, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* keep text */
  }
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    headers: response.headers,
    body: parsed as T,
  };
}

/**
 * A kafkajs client for the test itself, which plays the operator: on a SASL broker it is the
 * admin (a super user), so it may read, write, create and delete any topic, as the tests need.
 */
export function kafka(clientId = 'baton-e2e'): Kafka {
  fixKafkajsIdleTimer(); // as Baton's own clients: no timer spinning beside the services under test
  return new Kafka({
    clientId,
    brokers: platformState().kafkaBrokers.split(','),
    ...adminSecurity(),
    logLevel: logLevel.NOTHING,
  });
}

/** `security` for a BatonKafka or kafkajs client of the test's own: the admin's, on a SASL broker. */
export function adminSecurity(): KafkaSecurity {
  const security = platformState().kafkaSecurity;
  if (!security) return {};
  const { admin } = JSON.parse(fs.readFileSync(security.credentialsFile, 'utf8')) as {
    admin: { username: string; password: string };
  };
  return { sasl: { mechanism: 'scram-sha-512', ...admin } };
}

/**
 * On a SASL broker, lets `service` write `topic`, a topic of the test's own that the ACL table
 * does not know (the test plays the operator granting it); nothing to do on a PLAINTEXT broker.
 */
export async function allowServiceToWrite(service: string, topic: string): Promise<void> {
  if (!platformState().kafkaSecurity) return;
  const admin = kafka(`e2e-grant-${service}`).admin();
  await admin.connect();
  try {
    await applyAcls(admin, topics(servicePrincipal(service), [topic], ['write', 'describe']));
  } finally {
    await admin.disconnect();
  }
}

/**
 * The KAFKA_SASL_* settings of a workspace's agent workers (empty on a PLAINTEXT broker), for a
 * worker process a test starts itself. In-process AgentWorkers read the same from process.env,
 * where support/worker-credential.ts puts the default workspace's.
 */
export function workerEnv(workspaceId = 'default'): Record<string, string> {
  const security = platformState().kafkaSecurity;
  if (!security) return {};
  const env = security.workers[workspaceId];
  if (!env) throw new Error(`no Kafka worker credential for workspace ${workspaceId}`);
  return env;
}

/** Polls `probe` until it returns a value that is not undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/**
 * The value of one Prometheus sample on a service's /metrics (0 when the
 * sample is not there yet), e.g. metricValue('workflow-engine',
 * 'baton_engine_cached_decisions_total', { outcome: 'stale' }).
 */
export async function metricValue(
  service: string,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const port = platformState().services.find((s) => s.name === service)?.port;
  if (!port) throw new Error(`no service ${service} in the platform`);
  const text = await (await fetch(metricsUrl(port))).text();
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (wanted.every((pair) => line.includes(pair))) return Number(line.split(' ').pop());
  }
  return 0;
}

/** A service's /metrics: on its own port (PORT + 6000 unless METRICS_PORT says otherwise), not the API port. */
export function metricsUrl(port: number): string {
  return `http://127.0.0.1:${port + METRICS_PORT_OFFSET}/metrics`;
}
