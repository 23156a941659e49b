import { createEnvelope, Topics } from '@baton/contracts';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import { api, kafka } from '../platform';
import type { Finding } from './http-verdict';
import { abbreviate } from './http-verdict';
import type { FuzzTarget } from './fuzz-target';
import { kafkaCase, type KafkaCase } from './kafka-cases';
import type { Schema } from './openapi-operations';
import { platformProblems } from './platform-health';

const BATCH_SIZE = 100;

/** Queries whose answers need the command consumers of every service to be moving. */
const QUERY_ROUTES = [
  '/v1/agents',
  '/v1/workflows',
  '/v1/runs',
  '/v1/connections',
  '/v1/events',
  '/v1/audit',
  '/v1/subscriptions',
  '/v1/routes',
  '/v1/transforms',
  '/v1/replays',
];

/**
 * Writes fuzzed messages to every platform topic, in batches; after each
 * batch every service must be the same healthy process, and still consuming:
 * events written to every ingress partition are stored, and every service
 * answers queries (a poison message that stalls a partition fails here).
 */
export async function fuzzKafka(
  count: number,
  seed: number,
  schemas: Schema[],
  pids: Map<string, number>,
  target: FuzzTarget,
): Promise<{ findings: Finding[]; sent: number }> {
  const cases = fc.sample(kafkaCase(schemas, target.workspace), { seed, numRuns: count });
  const producer = kafka('baton-fuzz').producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const findings: Finding[] = [];
  try {
    for (let start = 0; start < cases.length; start += BATCH_SIZE) {
      const batch = cases.slice(start, start + BATCH_SIZE);
      for (const message of batch) {
        const refused = await produce(producer, message);
        // The broker refusing a message is its business, not a Baton bug; recorded for the log only.
        if (refused)
          process.stderr.write(`fuzz: broker refused a message to ${message.topic}: ${refused}\n`);
      }
      const problems = [
        ...(await platformProblems(pids)),
        ...(await stalledConsumers(producer, target)),
      ];
      if (problems.length > 0) {
        findings.push({
          kind: `kafka: platform unhealthy after messages ${start}..${start + batch.length - 1}`,
          reproduce: batch.map(describe).join('\n'),
          detail: problems.join('; '),
        });
        break;
      }
    }
  } finally {
    await producer.disconnect();
  }
  return { findings, sent: cases.length };
}

async function produce(producer: Producer, message: KafkaCase): Promise<string | undefined> {
  try {
    await producer.send({
      topic: message.topic,
      messages: [{ key: message.key, value: message.value, headers: message.headers }],
    });
    return undefined;
  } catch (error) {
    return String(error);
  }
}

/** The message as JSON a test can paste back into producer.send. */
export function describe(message: KafkaCase): string {
  const value = Buffer.isBuffer(message.value)
    ? `base64:${message.value.toString('base64')}`
    : message.value;
  return abbreviate(JSON.stringify({ ...message, value }), 1500);
}

async function stalledConsumers(producer: Producer, target: FuzzTarget): Promise<string[]> {
  const problems: string[] = [];
  const type = `fuzz.canary.${randomUUID()}`;
  // Twelve keys reach all six ingress partitions with high likelihood; each event is its own key.
  const messages = Array.from({ length: 12 }, (_, n) => {
    const envelope = createEnvelope({
      type,
      source: 'fuzz-canary',
      data: { n },
      workspaceId: target.workspace,
    });
    return { key: `canary-${n}`, value: JSON.stringify(envelope) };
  });
  await producer.send({ topic: Topics.eventsIngress, messages });
  const stored = await storedCount(type, messages.length, target.adminKey);
  if (stored < messages.length)
    problems.push(
      `event-manager stored ${stored} of ${messages.length} canary events from ${Topics.eventsIngress}`,
    );
  for (const route of QUERY_ROUTES) {
    const response = await api('GET', route, { apiKey: target.adminKey });
    if (response.status !== 200)
      problems.push(`GET ${route} answered ${response.status} after the fuzzed messages`);
  }
  return problems;
}

async function storedCount(type: string, wanted: number, apiKey: string): Promise<number> {
  const deadline = Date.now() + 30_000;
  let seen = 0;
  while (Date.now() < deadline) {
    const response = await api<{ items?: unknown[] }>(
      'GET',
      `/v1/events?type=${encodeURIComponent(type)}&limit=50`,
      { apiKey },
    );
    seen = response.body.items?.length ?? 0;
    if (seen >= wanted) return seen;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return seen;
}
