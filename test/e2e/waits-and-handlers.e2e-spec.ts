import type { FlowRunView, StoredEventView } from '@baton/contracts';
import { AgentWorker, TaskError, type OrchestratePlatform } from '@baton/sdk';
import type { Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { api, eventually, kafka, platformState, sdk } from './support/platform';

/**
 * wait_for_event (resolved through POST /v1/events and through a plain Kafka
 * producer, or timing out), on_error jumps and the built-in error handlers.
 */
describe('waits and error handlers', () => {
  let orchestrate: OrchestratePlatform;
  let producer: Producer;
  const workers: AgentWorker[] = [];

  const start = async (workflow: string, input: Record<string, unknown> = {}) =>
    (await orchestrate.startRun(workflow, input)).id;
  const finished = async (id: string) => (await orchestrate.waitForRun(id, 30_000)) as FlowRunView;
  const step = (view: FlowRunView, path: string) => view.steps.find((s) => s.path === path);
  /** Events can only end a wait that exists: wait until the step is parked. */
  const waitingStep = (id: string, path: string) =>
    eventually(
      async () => {
        const view = (await orchestrate.getRun(id)) as FlowRunView;
        const found = step(view, path);
        return found?.status === 'waiting' ? found : undefined;
      },
      20_000,
      `step ${path} waiting`,
    );
  const storedEvents = (type: string, subject: string) =>
    eventually(
      async () => {
        const page = await orchestrate.listEvents({ type, subject });
        return page.items.length > 0 ? page.items : undefined;
      },
      20_000,
      `${type} events`,
    ) as Promise<StoredEventView[]>;

  beforeAll(async () => {
    orchestrate = sdk();
    const brokers = platformState().kafkaBrokers.split(',');
    const agents: [string, ConstructorParameters<typeof AgentWorker>[0]['handler']][] = [
      ['wh-echo', (input, task) => ({ echoed: input, step: task.step })],
      [
        'wh-boom',
        () => {
          throw new TaskError('system_error', 'boom');
        },
      ],
      [
        'wh-picky',
        () => {
          throw new TaskError('validation_error', 'the order id is missing');
        },
      ],
    ];
    for (const [name] of agents) await orchestrate.registerAgent({ name, type: 'worker' });
    for (const [agent, handler] of agents)
      workers.push(new AgentWorker({ agent, handler, brokers }));
    await Promise.all(workers.map((w) => w.start()));
    producer = kafka('e2e-waits').producer();
    await producer.connect();

    await orchestrate.createWorkflow(`
workflow:
  name: wh-approval
  steps:
    - name: approval
      wait_for_event:
        type: wh.order.approved
        correlation: \${input.order_id}
        timeout: 30s
    - name: ship
      agent: wh-echo
      input: \${approval.output}
`);
  });

  afterAll(async () => {
    await producer.disconnect();
    await Promise.all(workers.map((w) => w.stop()));
  });

  describe('wait_for_event', () => {
    it('resumes with the data of an event published with POST /v1/events', async () => {
      const orderId = randomUUID();
      const id = await start('wh-approval', { order_id: orderId });
      const waiting = await waitingStep(id, 'approval');
      expect(waiting.waiting_for).toEqual({ type: 'wh.order.approved', correlation: orderId });
      // An event for another order does not end this wait.
      await orchestrate.publishEvent({
        type: 'wh.order.approved',
        subject: randomUUID(),
        data: { approved_by: 'someone else' },
      });
      const published = await orchestrate.publishEvent({
        type: 'wh.order.approved',
        subject: orderId,
        data: { approved_by: 'ada' },
      });
      expect(published.id).toMatch(/^[0-9a-f-]{36}$/);
      const view = await finished(id);
      expect(view.status).toBe('completed');
      expect(step(view, 'approval')).toMatchObject({
        kind: 'wait_for_event',
        status: 'completed',
        output: { approved_by: 'ada' },
      });
      expect(view.output).toEqual({ echoed: { approved_by: 'ada' }, step: 'ship' });
    });

    it('resumes with an event a plain Kafka producer wrote to baton.events.ingress', async () => {
      const orderId = randomUUID();
      const id = await start('wh-approval', { order_id: orderId });
      await waitingStep(id, 'approval');
      // Structured-mode CloudEvent; matched on its correlation id this time.
      await producer.send({
        topic: 'baton.events.ingress',
        messages: [
          {
            key: orderId,
            value: JSON.stringify({
              specversion: '1.0',
              id: randomUUID(),
              type: 'wh.order.approved',
              source: 'e2e/kafka',
              workspaceid: 'default',
              correlationid: orderId,
              data: { approved_by: 'kafka' },
            }),
          },
        ],
      });
      const view = await finished(id);
      expect(view.status).toBe('completed');
      expect(step(view, 'approval')?.output).toEqual({ approved_by: 'kafka' });
    });

    it('takes an event that arrived before the run reached its wait (a fast callback)', async () => {
      await orchestrate.createWorkflow(`
workflow:
  name: wh-early
  steps:
    - name: approval
      wait_for_event:
        type: wh.order.early
        correlation: \${input.order_id}
        timeout: 5s
`);
      const orderId = randomUUID();
      await orchestrate.publishEvent({
        type: 'wh.order.early',
        subject: orderId,
        data: { approved_by: 'the fast one' },
      });
      // Well after the engine read the event and found no wait for it.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const view = await finished(await start('wh-early', { order_id: orderId }));
      expect(view.status).toBe('completed');
      expect(step(view, 'approval')).toMatchObject({
        status: 'completed',
        output: { approved_by: 'the fast one' },
      });
      // Taken once: a second run for the same order waits for an event of its own.
      const second = await finished(await start('wh-early', { order_id: orderId }));
      expect(second.status).toBe('failed');
      expect(second.error).toMatchObject({ type: 'timeout' });
    });

    it('fails with a timeout when no event arrives in time', async () => {
      await orchestrate.createWorkflow({
        name: 'wh-too-late',
        steps: [
          {
            name: 'approval',
            wait_for_event: { type: 'wh.never', correlation: '${input.order_id}', timeout: '1s' },
          },
        ],
      });
      const view = await finished(await start('wh-too-late', { order_id: randomUUID() }));
      expect(view.status).toBe('failed');
      expect(view.error).toEqual({
        type: 'timeout',
        message: "step 'approval' timed out after 1s waiting for event 'wh.never'",
      });
      expect(step(view, 'approval')?.status).toBe('failed');
    });
  });

  it('on_error jumps to a step and the run goes on from there', async () => {
    await orchestrate.createWorkflow(`
workflow:
  name: wh-jump
  steps:
    - { name: risky, agent: wh-boom, on_error: recover }
    - { name: normal, agent: wh-echo }
    - name: recover
      agent: wh-echo
      input: { reason: "\${risky.error.message}" }
`);
    const view = await finished(await start('wh-jump'));
    expect(view.status).toBe('completed');
    expect(view.steps.map((s) => [s.path, s.status])).toEqual([
      ['risky', 'failed'],
      ['recover', 'completed'],
    ]);
    expect(view.output).toEqual({ echoed: { reason: 'boom' }, step: 'recover' });
  });

  describe('error_handlers', () => {
    it('notify-admin emits workflow.alert and the run still fails', async () => {
      await orchestrate.createWorkflow({
        name: 'wh-notify',
        error_handlers: { system_error: 'notify-admin' },
        steps: [{ name: 'charge', agent: 'wh-boom' }],
      });
      const view = await finished(await start('wh-notify'));
      expect(view.status).toBe('failed');
      expect(view.error).toEqual({ type: 'system_error', message: 'boom' });
      const alerts = await storedEvents('workflow.alert', view.id);
      expect(alerts[0]).toMatchObject({
        topic: 'baton.workflow.events',
        data: expect.objectContaining({
          run_id: view.id,
          step: 'charge',
          error: { type: 'system_error', message: 'boom' },
        }),
      });
    });

    it('the workflow timeout goes through error_handlers too (timeout: return-to-user)', async () => {
      await orchestrate.createWorkflow({
        name: 'wh-deadline',
        timeout: '1s',
        error_handlers: { timeout: 'return-to-user' },
        steps: [
          {
            name: 'approval',
            wait_for_event: { type: 'wh.never', correlation: '${input.order_id}', timeout: '30s' },
          },
        ],
      });
      const view = await finished(await start('wh-deadline', { order_id: randomUUID() }));
      expect(view.status).toBe('failed');
      expect(view.error).toEqual({
        type: 'timeout',
        message: "workflow 'wh-deadline' timed out after 1000 ms",
      });
      expect(view.output).toEqual({
        type: 'timeout',
        message: "workflow 'wh-deadline' timed out after 1000 ms",
        step: 'approval',
      });
      expect(step(view, 'approval')).toMatchObject({ status: 'failed' });
    });

    it('return-to-user ends the run failed with a user-facing error as output', async () => {
      await orchestrate.createWorkflow({
        name: 'wh-return',
        error_handlers: { validation_error: 'return-to-user', default: 'notify-admin' },
        steps: [{ name: 'check', agent: 'wh-picky' }],
      });
      const view = await finished(await start('wh-return'));
      expect(view.status).toBe('failed');
      expect(view.output).toEqual({
        type: 'validation_error',
        message: 'the order id is missing',
        step: 'check',
      });
    });

    it('escalate parks the step until workflow.escalation.resolved arrives for the run', async () => {
      await orchestrate.createWorkflow({
        name: 'wh-escalate',
        error_handlers: { default: 'escalate' },
        steps: [
          { name: 'decide', agent: 'wh-boom' },
          { name: 'after', agent: 'wh-echo', input: '${decide.output}' },
        ],
      });
      const id = await start('wh-escalate');
      const parked = await waitingStep(id, 'decide');
      expect(parked.waiting_for).toEqual({ type: 'workflow.escalation.resolved', correlation: id });
      expect(parked.error).toEqual({ type: 'system_error', message: 'boom' });
      const requested = await storedEvents('workflow.escalation.requested', id);
      expect(requested[0].data).toMatchObject({ step: 'decide' });
      const resolved = await api('POST', '/v1/events', {
        body: { type: 'workflow.escalation.resolved', subject: id, data: { resolution: 'refund' } },
      });
      expect(resolved.status).toBe(202);
      const view = await finished(id);
      expect(view.status).toBe('completed');
      expect(step(view, 'decide')).toMatchObject({
        status: 'completed',
        output: { resolution: 'refund' },
      });
      expect(view.output).toEqual({ echoed: { resolution: 'refund' }, step: 'after' });
    });

    it('a workflow handler runs that workflow with the error; its output completes the step', async () => {
      await orchestrate.createWorkflow({
        name: 'wh-cleanup',
        steps: [
          { name: 'tidy', agent: 'wh-echo', input: { cleaned_after: '${input.error.message}' } },
        ],
      });
      await orchestrate.createWorkflow({
        name: 'wh-with-handler',
        steps: [{ name: 'risky', agent: 'wh-boom', on_error: 'workflow:wh-cleanup' }],
      });
      const view = await finished(await start('wh-with-handler'));
      expect(view.status).toBe('completed');
      expect(view.output).toEqual({ echoed: { cleaned_after: 'boom' }, step: 'tidy' });
      const risky = step(view, 'risky')!;
      expect(risky).toMatchObject({ status: 'completed', workflow: 'wh-cleanup' });
      const handler = await orchestrate.getRun(risky.child_run_id!);
      expect(handler).toMatchObject({ workflow: 'wh-cleanup', status: 'completed' });
    });
  });
});
