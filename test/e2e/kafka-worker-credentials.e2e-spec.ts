import { Topics, type IssuedWorkerCredentialView } from '@baton/contracts';
import { fixKafkajsIdleTimer } from '@baton/kafka';
import { AgentWorker } from '@baton/sdk';
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import { api, eventually, kafka, platformState } from './support/platform';
import { uniqueName } from './support/scripted-server';
import { bootstrapKey, workspaceWithKeys } from './support/workspaces';

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: { field: string; message: string }[];
}

/**
 * A workspace's agent-worker Kafka credential through the API (ADR 0030): a
 * platform admin issues it, an SDK worker of that workspace serves its tasks
 * with it on the suite's real SASL broker, and the broker refuses it
 * everything else; rotating it and revoking it stop the old password.
 */
describe('worker Kafka credentials through the API', () => {
  const secure = platformState().kafkaSecurity !== undefined;
  const brokers = platformState().kafkaBrokers.split(',');
  const opened: { disconnect(): Promise<void> }[] = [];
  let workspace: { id: string; keys: string[] };
  let issued: IssuedWorkerCredentialView;

  const client = (sasl: SASLOptions) => {
    fixKafkajsIdleTimer();
    return new Kafka({
      clientId: 'e2e-worker-credentials',
      brokers,
      sasl,
      logLevel: logLevel.NOTHING,
      retry: { retries: 1, initialRetryTime: 100 },
      connectionTimeout: 3000,
    });
  };
  const saslOf = (credential: { username: string; password: string }): SASLOptions => ({
    mechanism: 'scram-sha-512',
    username: credential.username,
    password: credential.password,
  });

  /** 'ok', the broker's *_AUTHORIZATION_FAILED, or the failing error's name (a refused login). */
  const outcome = async (work: () => Promise<unknown>): Promise<string> => {
    try {
      await work();
      return 'ok';
    } catch (error) {
      for (let e = error as { type?: string; name?: string; cause?: unknown } | undefined; e;) {
        if (e.type?.endsWith('_AUTHORIZATION_FAILED')) return e.type;
        if (e.name === 'KafkaJSSASLAuthenticationError') return 'SASL_AUTHENTICATION_FAILED';
        if (!e.cause) return e.name ?? 'error';
        e = e.cause as typeof e;
      }
      return 'error';
    }
  };
  const sendAs = (sasl: SASLOptions, topic: string) => {
    const producer = client(sasl).producer();
    opened.push(producer);
    return outcome(async () => {
      await producer.connect();
      await producer.send({ topic, acks: -1, messages: [{ value: '{"forged":true}' }] });
    });
  };
  const describeAs = (sasl: SASLOptions, topic: string) => {
    const admin = client(sasl).admin();
    opened.push(admin);
    return outcome(async () => {
      await admin.connect();
      await admin.fetchTopicOffsets(topic);
    });
  };
  const loginAs = (sasl: SASLOptions) => {
    const admin = client(sasl).admin();
    opened.push(admin);
    return outcome(() => admin.connect());
  };
  const issue = (workspaceId: string, apiKey = bootstrapKey()) =>
    api<IssuedWorkerCredentialView & Problem>(
      'POST',
      `/v1/workspaces/${workspaceId}/worker-credentials`,
      { apiKey },
    );

  /** An agent of the default workspace: its task topic is another workspace's to this worker. */
  const otherAgent = uniqueName('wcred-other');

  beforeAll(async () => {
    workspace = await workspaceWithKeys('wcred');
    const registered = await api('POST', '/v1/agents', {
      apiKey: bootstrapKey(),
      body: { name: otherAgent, type: 'worker' },
    });
    expect(registered.status).toBe(201);
  });

  afterAll(async () => {
    for (const c of opened) await c.disconnect().catch(() => undefined);
  });

  it('refuses a workspace admin, a malformed id and an unknown workspace, as problem+json', async () => {
    const notPlatformAdmin = await issue(workspace.id, workspace.keys[0]);
    expect(notPlatformAdmin.status).toBe(403);
    expect(notPlatformAdmin.contentType).toContain('application/problem+json');
    const malformed = await issue('Not_A_Slug');
    expect(malformed.status).toBe(422);
    expect(malformed.contentType).toContain('application/problem+json');
    expect(malformed.body.errors?.[0]?.field).toBe('workspace_id');
    const unknown = await issue(`no-such-${workspace.id}`);
    expect(secure ? unknown.status : 409).toBe(secure ? 404 : unknown.status);
  });

  it('issues the credential once, and an SDK worker of the workspace serves its tasks with it', async () => {
    const response = await issue(workspace.id);
    if (!secure) {
      // PLAINTEXT broker: nobody authenticates, so there is nothing to issue.
      expect(response.status).toBe(409);
      expect(response.body.detail).toContain('does not authenticate');
      return;
    }
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    issued = response.body;
    expect(issued).toMatchObject({
      workspace_id: workspace.id,
      mechanism: 'scram-sha-512',
      username: `baton-worker-${workspace.id}`,
      ingress_topic: Topics.workspaceIngress(workspace.id),
      task_topic_prefix: `baton.agent.tasks.${workspace.id}.`,
      consumer_group_prefix: `baton-agent-${workspace.id}-`,
    });
    expect(issued.password.length).toBeGreaterThanOrEqual(32);

    // The workspace's own agent, served by a worker that holds only this credential.
    const agent = uniqueName('wcred-echo');
    const registered = await api('POST', '/v1/agents', {
      apiKey: workspace.keys[0],
      body: { name: agent, type: 'worker' },
    });
    expect(registered.status).toBe(201);
    const worker = new AgentWorker({
      agent,
      workspaceId: workspace.id,
      brokers,
      security: { sasl: saslOf(issued) },
      handler: (input) => ({ echoed: input }),
    });
    opened.push({ disconnect: () => worker.stop() });
    await worker.start();
    const invoked = await eventually(async () => {
      const answer = await api<{ status: string; output: unknown }>(
        'POST',
        `/v1/agents/${agent}/invoke`,
        { apiKey: workspace.keys[0], body: { input: { text: 'hello' }, timeout: 10_000 } },
      );
      return answer.status === 200 ? answer : undefined;
    }, 60_000);
    expect(invoked.body).toMatchObject({
      status: 'completed',
      output: { echoed: { text: 'hello' } },
    });
  }, 120_000);

  it("is refused on the real broker everything but its workspace's own topics", async () => {
    if (!secure) return expect(issued).toBeUndefined();
    const sasl = saslOf(issued);
    // Its own ingress, results and the agents' dead-letter topic: allowed.
    expect(await sendAs(sasl, issued.ingress_topic)).toBe('ok');
    expect(await sendAs(sasl, Topics.dlq('agents'))).toBe('ok');
    // Forging replies or commands, the shared ingress, another workspace's ingress: refused.
    expect(await sendAs(sasl, Topics.gatewayReplies)).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(await sendAs(sasl, Topics.workflowCommands)).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(await sendAs(sasl, Topics.eventsIngress)).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(await sendAs(sasl, Topics.workspaceIngress('default'))).toBe(
      'TOPIC_AUTHORIZATION_FAILED',
    );
    // Another workspace's task topics cannot even be described (let alone read).
    const otherTopic = Topics.agentTasks('default', otherAgent);
    await eventually(async () => ((await kafkaTopics()).includes(otherTopic) ? true : undefined));
    expect(await describeAs(sasl, otherTopic)).toBe('TOPIC_AUTHORIZATION_FAILED');
  });

  it('rotates: a second issue answers a new password and the old one stops logging in', async () => {
    if (!secure) return expect(issued).toBeUndefined();
    const rotated = await issue(workspace.id);
    expect(rotated.status).toBe(201);
    expect(rotated.body.password).not.toBe(issued.password);
    expect(await loginAs(saslOf(rotated.body))).toBe('ok');
    expect(
      await eventually(async () =>
        (await loginAs(saslOf(issued))) === 'SASL_AUTHENTICATION_FAILED' ? true : undefined,
      ),
    ).toBe(true);
    issued = rotated.body;
  });

  it('revokes: DELETE answers 204 and the credential no longer logs in; a second DELETE is a no-op', async () => {
    if (!secure) return expect(issued).toBeUndefined();
    const revoked = await api('DELETE', `/v1/workspaces/${workspace.id}/worker-credentials`, {
      apiKey: bootstrapKey(),
    });
    expect(revoked.status).toBe(204);
    expect(
      await eventually(async () =>
        (await loginAs(saslOf(issued))) === 'SASL_AUTHENTICATION_FAILED' ? true : undefined,
      ),
    ).toBe(true);
    const again = await api('DELETE', `/v1/workspaces/${workspace.id}/worker-credentials`, {
      apiKey: bootstrapKey(),
    });
    expect(again.status).toBe(204);
  });

  /** The topics on the broker, listed as the operator (the suite's admin). */
  async function kafkaTopics(): Promise<string[]> {
    const admin = kafka('e2e-worker-credentials-admin').admin();
    await admin.connect();
    try {
      return await admin.listTopics();
    } finally {
      await admin.disconnect();
    }
  }
});
