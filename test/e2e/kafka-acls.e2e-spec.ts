import {
  createEnvelope,
  MessageTypes,
  PLATFORM_TOPICS,
  Topics,
  type AgentTaskMessage,
} from '@baton/contracts';
import {
  applyAcls,
  BatonKafka,
  fixKafkajsIdleTimer,
  serviceAcls,
  toAclEntries,
  workerAcls,
  workerUser,
  type AclRule,
} from '@baton/kafka';
import { AgentWorker } from '@baton/sdk';
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Kafka,
  logLevel,
  ResourcePatternTypes,
  type Admin,
  type Consumer,
  type Producer,
} from 'kafkajs';
import { eventually } from './support/platform';

interface Credential {
  username: string;
  password: string;
}
interface SecureBroker {
  brokers: string;
  pid: number;
  credentials: { admin: Credential; services: Record<string, Credential> };
  addScramUser(user: Credential): void;
  stop(): Promise<void>;
}
// The project's own script starts the broker, as an operator's BATON_KAFKA_SECURITY=sasl would.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { isAlive } = require('../../scripts/infra/process') as {
  isAlive(pid: number): boolean;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSecureBroker } = require('../../scripts/infra/secure-broker') as {
  startSecureBroker(options: {
    dir: string;
    port: number;
    log?: (line: string) => void;
  }): Promise<SecureBroker>;
};

/** Clear of the suite's broker (its port and the controller's next one). */
const PORT = Number(process.env.BATON_KAFKA_PORT ?? 19092) + 40;
const A = 'acls-a';
const B = 'acls-b';
const AGENT = 'classifier';

/**
 * Kafka is a trust boundary (DESIGN.md): on a broker with SASL/SCRAM and
 * ACLs, each service and each workspace's workers have their own principal,
 * and the broker itself refuses what the ACL table does not grant. This spec
 * starts a second broker of its own, so the rest of the suite keeps its
 * PLAINTEXT one.
 */
describe('Kafka principals and ACLs on a real SASL broker', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-kafka-acls-'));
  let broker: SecureBroker;
  const workerA: Credential = { username: workerUser(A), password: secret() };
  const workerB: Credential = { username: workerUser(B), password: secret() };
  const opened: { disconnect(): Promise<void> }[] = [];

  /** debug: kafkajs' debug entries, where it logs the broker's answer it then swallows. */
  const client = (who: Credential, debug?: { message: string; error?: unknown }[]): Kafka => {
    fixKafkajsIdleTimer();
    return new Kafka({
      clientId: `acls-${who.username}`,
      brokers: [broker.brokers],
      sasl: { mechanism: 'scram-sha-512', ...who },
      logLevel: debug ? logLevel.DEBUG : logLevel.NOTHING,
      logCreator: () => (entry) =>
        void debug?.push(entry.log as unknown as { message: string; error?: unknown }),
      // A few quick retries ride over the first group coordinator's election; a refusal is
      // not retriable, so it still fails at once.
      retry: { retries: 3, initialRetryTime: 100 },
    });
  };
  const producer = async (who: Credential): Promise<Producer> => {
    const p = client(who).producer();
    await p.connect();
    opened.push(p);
    return p;
  };
  const admin = async (who: Credential): Promise<Admin> => {
    const a = client(who).admin();
    await a.connect();
    opened.push(a);
    return a;
  };
  const send = (p: Producer, topic: string) =>
    p.send({ topic, acks: -1, messages: [{ key: 'k', value: JSON.stringify({ forged: true }) }] });
  const service = (name: string): Credential => broker.credentials.services[name];

  beforeAll(async () => {
    broker = await startSecureBroker({ dir, port: PORT });
    const root = await admin(broker.credentials.admin);
    await root.createTopics({
      topics: [
        ...PLATFORM_TOPICS.map((t) => ({ topic: t.topic, numPartitions: t.partitions })),
        ...[A, B].flatMap((ws) => [
          { topic: Topics.agentTasks(ws, AGENT), numPartitions: 1 },
          { topic: Topics.workspaceIngress(ws), numPartitions: 1 },
        ]),
      ],
    });
    broker.addScramUser(workerA);
    broker.addScramUser(workerB);
    const rules: AclRule[] = [...serviceAcls(), ...workerAcls(A), ...workerAcls(B)];
    await applyAcls(root, rules);
    // The authorizer applies bindings from the metadata log: wait until all are in force.
    const expected = toAclEntries(rules).length;
    await eventually(async () => {
      const { resources } = await root.describeAcls({
        resourceType: AclResourceTypes.ANY,
        resourcePatternType: ResourcePatternTypes.ANY,
        operation: AclOperationTypes.ANY,
        permissionType: AclPermissionTypes.ANY,
      });
      const count = resources.reduce((n, r) => n + r.acls.length, 0);
      return count >= expected ? count : undefined;
    }, 30_000);
  }, 240_000);

  afterAll(async () => {
    for (const c of opened) await c.disconnect().catch(() => undefined);
    await broker?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it("serves workspace A's task with the real AgentWorker under A's worker principal", async () => {
    const results = client(broker.credentials.admin).consumer({ groupId: `acls-${randomUUID()}` });
    opened.push(results);
    const seen: string[] = [];
    await results.connect();
    await results.subscribe({ topic: Topics.agentResults, fromBeginning: true });
    await results.run({
      eachMessage: async ({ message }) => void seen.push(String(message.value)),
    });

    const worker = new AgentWorker({
      agent: AGENT,
      workspaceId: A,
      brokers: [broker.brokers],
      security: { sasl: { mechanism: 'scram-sha-512', ...workerA } },
      handler: (input) => ({ echoed: input }),
      heartbeatIntervalMs: 500,
    });
    await worker.start();
    opened.push({ disconnect: () => worker.stop() });

    const platform = new BatonKafka({
      brokers: [broker.brokers],
      clientId: 'acls-platform',
      security: { sasl: { mechanism: 'scram-sha-512', ...service('workflow-engine') } },
    });
    await platform.connect();
    opened.push(platform);
    const task: AgentTaskMessage = { task_id: randomUUID(), agent: AGENT, attempt: 1, input: 'x' };
    await platform.publish([
      {
        topic: Topics.agentTasks(A, AGENT),
        key: task.task_id,
        envelope: createEnvelope({
          type: MessageTypes.agentTask,
          source: 'baton/e2e',
          workspaceId: A,
          data: task,
        }),
      },
    ]);
    const result = await eventually(
      async () => seen.find((value) => value.includes(task.task_id)),
      30_000,
      'the worker to publish its result',
    );
    expect(JSON.parse(result).data).toMatchObject({
      task_id: task.task_id,
      output: { echoed: 'x' },
    });
  }, 90_000);

  it("refuses A's worker reading B's task topic or joining B's consumer group", async () => {
    const consumer: Consumer = client(workerA).consumer({ groupId: `baton-agent-${A}-${AGENT}` });
    opened.push(consumer);
    await consumer.connect();
    expect(
      await refusal(
        consumer.subscribe({ topic: Topics.agentTasks(B, AGENT), fromBeginning: true }),
      ),
    ).toBe('TOPIC_AUTHORIZATION_FAILED');

    // kafkajs reports a refused FindCoordinator as "coordinator not found" and logs the
    // broker's actual answer at debug level: both are asserted.
    const debug: { message: string; error?: unknown }[] = [];
    const intruder = client(workerA, debug).consumer({ groupId: `baton-agent-${B}-${AGENT}` });
    opened.push(intruder);
    const crashed = crashOf(intruder);
    await intruder.connect();
    await intruder.subscribe({ topic: Topics.agentTasks(A, AGENT), fromBeginning: true });
    await intruder.run({ eachMessage: async () => undefined });
    expect((await crashed).name).toBe('KafkaJSGroupCoordinatorNotFound');
    expect(debug.map((entry) => authorizationFailure(entry.error))).toContain(
      'GROUP_AUTHORIZATION_FAILED',
    );
  });

  it("refuses A's worker forging gateway replies and sending commands", async () => {
    const p = await producer(workerA);
    for (const topic of [
      Topics.gatewayReplies,
      Topics.workflowCommands,
      Topics.agentCommands,
      Topics.securityCommands,
      Topics.agentTasks(A, AGENT),
    ]) {
      expect(await refusal(send(p, topic))).toBe('TOPIC_AUTHORIZATION_FAILED');
    }
  });

  it("lets A's worker write its own ingress but refuses B's and the shared one", async () => {
    const p = await producer(workerA);
    await expect(send(p, Topics.workspaceIngress(A))).resolves.toHaveLength(1);
    expect(await refusal(send(p, Topics.workspaceIngress(B)))).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(await refusal(send(p, Topics.eventsIngress))).toBe('TOPIC_AUTHORIZATION_FAILED');
  });

  it('refuses a service the topics that are not its own', async () => {
    const integration = await producer(service('integration-manager'));
    await expect(send(integration, Topics.integrationEvents)).resolves.toHaveLength(1);
    expect(await refusal(send(integration, Topics.workflowCommands))).toBe(
      'TOPIC_AUTHORIZATION_FAILED',
    );
    await expect(send(integration, Topics.gatewayReplies)).resolves.toHaveLength(1);

    const reader = client(service('integration-manager')).consumer({
      groupId: 'baton-integration-manager-snoop',
    });
    opened.push(reader);
    // It may see the topic (every service may recreate a platform topic), not read it.
    const crashed = crashOf(reader);
    await reader.connect();
    await reader.subscribe({ topic: Topics.audit, fromBeginning: true });
    await reader.run({ eachMessage: async () => undefined });
    expect(authorizationFailure(await crashed)).toBe('TOPIC_AUTHORIZATION_FAILED');
  });

  it('refuses a wrong password and an unknown user', async () => {
    for (const who of [
      { username: broker.credentials.admin.username, password: 'wrong' },
      { username: workerA.username, password: workerB.password },
      { username: 'baton-worker-nobody', password: 'x' },
    ]) {
      const a = client(who).admin();
      await expect(a.connect()).rejects.toMatchObject({ name: 'KafkaJSSASLAuthenticationError' });
      await a.disconnect().catch(() => undefined);
    }
  });

  it('stops the broker and removes its data', async () => {
    for (const c of opened.splice(0)) await c.disconnect().catch(() => undefined);
    await broker.stop();
    expect(fs.existsSync(dir)).toBe(false);
    expect(isAlive(broker.pid)).toBe(false);
  }, 60_000);
});

function secret(): string {
  return randomBytes(18).toString('base64url');
}

/** The broker's *_AUTHORIZATION_FAILED code in a kafkajs error or the errors it wraps. */
function authorizationFailure(error: unknown): string | undefined {
  for (let e = error as { type?: string; cause?: unknown } | undefined; e;) {
    if (typeof e.type === 'string' && e.type.endsWith('_AUTHORIZATION_FAILED')) return e.type;
    e = e.cause as typeof e;
  }
  return undefined;
}

/** What the broker said to `attempt`: its refusal code, 'allowed', or another failure. */
async function refusal(attempt: Promise<unknown>): Promise<string> {
  try {
    await attempt;
    return 'allowed';
  } catch (error) {
    return authorizationFailure(error) ?? `failed otherwise: ${(error as Error).message}`;
  }
}

/** The error a consumer crashes with (kafkajs reports a failed run as a CRASH event). */
function crashOf(consumer: Consumer): Promise<Error> {
  return new Promise((resolve) => {
    consumer.on(consumer.events.CRASH, (event) => resolve(event.payload.error));
  });
}
