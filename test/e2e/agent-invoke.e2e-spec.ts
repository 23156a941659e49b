import { AgentWorker, type OrchestratePlatform } from '@baton/sdk';
import { createHmac } from 'node:crypto';
import { Client } from 'pg';
import { api, eventually, platformState, sdk } from './support/platform';
import { ScriptedServer, uniqueName } from './support/scripted-server';

type Problem = { status: number; code: string; detail: string; errors?: { field: string }[] };

const CALLBACK_SECRET = 'e2e-callback-signing-secret';
/** The default workspace's own key, derived as `node scripts/callback-key.js default` prints it. */
const WORKSPACE_KEY = createHmac('sha256', CALLBACK_SECRET)
  .update('baton-callback:default')
  .digest('hex');

/** The seed's request-response and fire-and-forget patterns through agent-manager. */
describe('invoke and submit: request-response and fire-and-forget', () => {
  let orchestrate: OrchestratePlatform;
  const workers: AgentWorker[] = [];
  const echo = uniqueName('echo');
  const sleepy = uniqueName('sleepy');
  const sloppy = uniqueName('sloppy');

  beforeAll(async () => {
    orchestrate = sdk();
    const brokers = platformState().kafkaBrokers.split(',');
    await orchestrate.registerAgent({
      name: echo,
      type: 'worker',
      input_schema: { type: 'object', required: ['text'] },
    });
    await orchestrate.registerAgent({ name: sleepy, type: 'worker' });
    await orchestrate.registerAgent({
      name: sloppy,
      type: 'worker',
      output_schema: { type: 'object', required: ['answer'] },
    });
    workers.push(
      new AgentWorker({
        agent: echo,
        brokers,
        handler: (input) => ({ echoed: input }),
      }),
      new AgentWorker({
        agent: sleepy,
        brokers,
        handler: async (input) => {
          await new Promise((resolve) => setTimeout(resolve, (input as { sleep: number }).sleep));
          return { woke: true };
        },
      }),
      new AgentWorker({ agent: sloppy, brokers, handler: () => ({ not_the_answer: 1 }) }),
    );
    await Promise.all(workers.map((w) => w.start()));
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
  });

  it('answers an invoke with the agent output (SDK invokeAgent, as the seed writes it)', async () => {
    const response = await orchestrate.invokeAgent({
      agent_id: echo,
      input: { text: 'Customer inquiry text' },
      timeout: 10_000,
    });
    expect(response).toMatchObject({
      status: 'completed',
      output: { echoed: { text: 'Customer inquiry text' } },
    });
    const task = await orchestrate.getTask(response.task_id);
    expect(task).toMatchObject({ agent: echo, origin: 'invoke', status: 'completed' });
  });

  it('answers 504 problem+json when the timeout passes, and the task says timeout', async () => {
    const response = await api<Problem>('POST', `/v1/agents/${sleepy}/invoke`, {
      body: { input: { sleep: 3_000 }, timeout: 500 },
    });
    expect(response.status).toBe(504);
    expect(response.contentType).toContain('application/problem+json');
    expect(response.body.code).toBe('UPSTREAM.TIMEOUT');
    const taskId = /task ([0-9a-f-]{36})/.exec(response.body.detail)?.[1];
    expect(taskId).toBeDefined();
    const task = await orchestrate.getTask(taskId!);
    expect(task).toMatchObject({ status: 'failed', error: { type: 'timeout' } });
  });

  it('fails the task with validation_error when the output breaks output_schema', async () => {
    const response = await api<Problem>('POST', `/v1/agents/${sloppy}/invoke`, {
      body: { input: {}, timeout: 10_000 },
    });
    expect(response.status).toBe(502);
    expect(response.body.detail).toContain('validation_error');
    expect(response.body.errors?.[0].field).toBe('output');
    const taskId = /task ([0-9a-f-]{36})/.exec(response.body.detail)![1];
    expect(await orchestrate.getTask(taskId)).toMatchObject({
      status: 'failed',
      error: { type: 'validation_error', message: expect.stringContaining('answer') },
    });
  });

  it('refuses bad invocations with 404 and 422 naming the field', async () => {
    const unknown = await api<Problem>('POST', '/v1/agents/no-such-agent/invoke', { body: {} });
    expect(unknown.status).toBe(404);
    const badTimeout = await api<Problem>('POST', `/v1/agents/${echo}/invoke`, {
      body: { input: { text: 'x' }, timeout: -5 },
    });
    expect(badTimeout.status).toBe(422);
    expect(badTimeout.body.errors?.map((e) => e.field)).toContain('timeout');
    const badInput = await api<Problem>('POST', `/v1/agents/${echo}/invoke`, {
      body: { input: { nope: 1 } },
    });
    expect(badInput.status).toBe(422);
    expect(badInput.body.errors?.map((e) => e.field)).toContain('input.text');
  });

  describe('fire-and-forget', () => {
    const receiver = new ScriptedServer((_, index) => ({ status: index === 0 ? 500 : 200 }));
    let callbackUrl: string;

    beforeAll(async () => {
      callbackUrl = `${await receiver.start()}/callback`;
    });

    afterAll(() => receiver.stop());

    it('answers 202 with a task id and POSTs the signed result, retried until a 2xx', async () => {
      const submitted = await api<{ task_id: string }>('POST', `/v1/agents/${echo}/tasks`, {
        body: { input: { text: 'large-dataset.csv' }, callback_url: callbackUrl },
      });
      expect(submitted.status).toBe(202);
      const taskId = submitted.body.task_id;
      expect(submitted.headers.get('location')).toBe(`/v1/tasks/${taskId}`);

      const task = await eventually(
        async () => {
          const current = await orchestrate.getTask(taskId);
          return current.callback?.status === 'delivered' ? current : undefined;
        },
        30_000,
        'the callback to be delivered',
      );
      expect(task).toMatchObject({
        status: 'completed',
        output: { echoed: { text: 'large-dataset.csv' } },
        callback: {
          url: callbackUrl,
          attempts: 2,
          last_error: expect.stringContaining('HTTP 500'),
        },
      });
      expect(receiver.received).toHaveLength(2);
      for (const delivery of receiver.received) {
        const expected = `sha256=${createHmac('sha256', WORKSPACE_KEY).update(delivery.body).digest('hex')}`;
        expect(delivery.headers['x-baton-signature']).toBe(expected);
        expect(delivery.json).toMatchObject({ task_id: taskId, status: 'completed' });
      }
      expect(receiver.received.map((d) => (d.json as { attempt: number }).attempt)).toEqual([1, 2]);
    });

    it('submits through the SDK as the seed writes it, once per Idempotency-Key', async () => {
      const first = await orchestrate.submitTask({
        agent_id: echo,
        input: { text: 'again' },
        idempotency_key: `k-${echo}`,
      });
      const second = await orchestrate.submitTask({
        agent_id: echo,
        input: { text: 'again' },
        idempotency_key: `k-${echo}`,
      });
      expect(second.task_id).toBe(first.task_id);
      const done = await eventually(async () => {
        const task = await orchestrate.getTask(first.task_id);
        return task.status === 'completed' ? task : undefined;
      });
      expect(done.callback).toBeNull();
    });

    it('refuses a callback_url that is not http(s) with 422 naming it', async () => {
      const response = await api<Problem>('POST', `/v1/agents/${echo}/tasks`, {
        body: { input: { text: 'x' }, callback_url: 'ftp://example.com/cb' },
      });
      expect(response.status).toBe(422);
      expect(response.body.errors?.map((e) => e.field)).toContain('callback_url');
    });

    it('prunes finished tasks past their retention (AGENT_TASK_RETENTION_MS)', async () => {
      const { task_id: done } = await orchestrate.submitTask({
        agent_id: echo,
        input: { text: 'old news' },
      });
      await eventually(async () =>
        (await orchestrate.getTask(done)).status === 'completed' ? true : undefined,
      );
      // Thirty-one days pass for this task only (the default retention is 30 days).
      const db = new Client({ connectionString: platformState().databaseUrl });
      await db.connect();
      try {
        await db.query(
          `UPDATE agent_manager.tasks SET finished_at = now() - interval '31 days' WHERE id = $1`,
          [done],
        );
      } finally {
        await db.end();
      }
      await eventually(
        async () => ((await api('GET', `/v1/tasks/${done}`)).status === 404 ? true : undefined),
        20_000,
        'the old task to be pruned',
      );
    });

    it('answers 404 for an unknown task', async () => {
      const response = await api<Problem>('GET', '/v1/tasks/00000000-0000-4000-8000-000000000000');
      expect(response.status).toBe(404);
    });
  });
});
