import { randomUUID } from 'node:crypto';
import type { Consumer, Producer } from 'kafkajs';
import { api, eventually, kafka } from './support/platform';

type Problem = {
  status: number;
  code: string;
  detail: string;
  errors?: { field: string; message: string; line?: number }[];
};

describe('bad input: a clear error and nothing lost', () => {
  it('answers malformed JSON with 400 problem+json', async () => {
    const response = await api<Problem>('POST', '/v1/agents', { raw: '{"name": "x",' });
    expect(response.status).toBe(400);
    expect(response.contentType).toContain('application/problem+json');
    expect(response.body.detail).toMatch(/malformed JSON/);
  });

  it('answers malformed YAML with 400 and the line of the problem', async () => {
    const yaml = 'workflow:\n  name: broken\n  steps:\n    - name: a\n      agent: [unclosed\n';
    const response = await api<Problem>('POST', '/v1/workflows', {
      raw: yaml,
      contentType: 'application/yaml',
    });
    expect(response.status).toBe(400);
    expect(response.contentType).toContain('application/problem+json');
    expect(response.body.errors?.[0].line).toBeGreaterThanOrEqual(5);
  });

  it('answers an invalid workflow with 422 naming the field', async () => {
    const yaml =
      'workflow:\n  name: bad-timeout\n  steps:\n    - name: a\n      agent: some-agent\n      timeout: soon\n';
    const response = await api<Problem>('POST', '/v1/workflows', {
      raw: yaml,
      contentType: 'application/yaml',
    });
    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'workflow.steps[0].timeout', line: 6 }),
      ]),
    );
  });

  it('answers invalid agent fields with 422 naming each field', async () => {
    const response = await api<Problem>('POST', '/v1/agents', {
      body: { name: 'Bad Name', type: 'worker', max_instances: 0 },
    });
    expect(response.status).toBe(422);
    const fields = response.body.errors?.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'max_instances']));
  });

  it('answers a run of an unknown workflow with 404 naming it', async () => {
    const response = await api<Problem>('POST', '/v1/workflows/no-such-workflow/runs', {
      body: { input: {} },
    });
    expect(response.status).toBe(404);
    expect(response.body.detail).toContain('no-such-workflow');
  });

  it('refuses to start a run whose step names an unknown agent, naming the agent', async () => {
    const yaml =
      'workflow:\n  name: ghost-agent-flow\n  steps:\n    - name: only\n      agent: ghost-agent\n';
    const created = await api<{ warnings?: { message: string }[] }>('POST', '/v1/workflows', {
      raw: yaml,
      contentType: 'application/yaml',
    });
    expect(created.status).toBe(201);
    expect(JSON.stringify(created.body.warnings)).toContain('ghost-agent');
    const response = await api<Problem>('POST', '/v1/workflows/ghost-agent-flow/runs', {
      body: { input: {} },
    });
    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'steps.only.agent' })]);
  });

  it('answers an unknown run id with 404 and a malformed one with 422', async () => {
    expect((await api('GET', `/v1/runs/${randomUUID()}`)).status).toBe(404);
    const malformed = await api<Problem>('GET', '/v1/runs/not-a-uuid');
    expect(malformed.status).toBe(422);
    expect(malformed.body.errors?.[0].field).toBe('run_id');
  });

  describe('garbage on Baton topics', () => {
    let producer: Producer;
    let consumer: Consumer;
    const dead: { topic: string; value: string; reason: string; source: string }[] = [];

    beforeAll(async () => {
      producer = kafka().producer();
      await producer.connect();
      consumer = kafka().consumer({ groupId: `e2e-dlq-${randomUUID()}` });
      await consumer.connect();
      await consumer.subscribe({ topics: [/^baton\.dlq\./], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ topic, message }) => {
          dead.push({
            topic,
            value: message.value?.toString() ?? '',
            reason: message.headers?.['baton-dlq-reason']?.toString() ?? '',
            source: message.headers?.['baton-dlq-source-topic']?.toString() ?? '',
          });
        },
      });
    });

    afterAll(async () => {
      await consumer.disconnect();
      await producer.disconnect();
    });

    it('dead-letters each with its reason, and the consumers go on', async () => {
      const marker = randomUUID();
      await producer.send({
        topic: 'baton.workflow.commands',
        messages: [{ value: `not json ${marker}` }],
      });
      await producer.send({
        topic: 'baton.agent.results',
        messages: [{ value: JSON.stringify({ hello: marker }) }],
      });
      await producer.send({
        topic: 'baton.agent.commands',
        messages: [{ value: `{"specversion":"1.0","id":"${marker}"` }],
      });

      const found = await eventually(
        async () => {
          const mine = dead.filter((d) => d.value.includes(marker));
          return mine.length >= 3 ? mine : undefined;
        },
        20_000,
        'three dead letters',
      );
      const bySource = Object.fromEntries(found.map((d) => [d.source, d]));
      expect(bySource['baton.workflow.commands']).toMatchObject({
        topic: 'baton.dlq.workflow-engine',
        reason: 'message value is not JSON',
      });
      expect(bySource['baton.agent.results'].topic).toBe('baton.dlq.workflow-engine');
      expect(bySource['baton.agent.results'].reason).toMatch(/invalid envelope/);
      expect(bySource['baton.agent.commands']).toMatchObject({ topic: 'baton.dlq.agent-manager' });

      // Still serving: a query after the garbage is answered.
      expect((await api('GET', '/v1/workflows')).status).toBe(200);
      expect((await api('GET', '/v1/agents')).status).toBe(200);
    });
  });
});
