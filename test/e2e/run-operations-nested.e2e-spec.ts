import type { FlowRunView, RunView } from '@baton/contracts';
import { AgentWorker, type OrchestratePlatform } from '@baton/sdk';
import { randomUUID } from 'node:crypto';
import { Gate } from './support/gate';
import { api, eventually, platformState, sdk } from './support/platform';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Run operations on nested control flow: cancel reaches child runs, retry
 * sends a failed step inside a foreach again, and a paused run holds what its
 * waits and child runs report until it resumes.
 */
describe('run operations on nested runs', () => {
  let orchestrate: OrchestratePlatform;
  const gate = new Gate();
  const workers: AgentWorker[] = [];
  let failing = true;

  beforeAll(async () => {
    orchestrate = sdk();
    const brokers = platformState().kafkaBrokers.split(',');
    await orchestrate.registerAgent({ name: 'nest-gated', type: 'worker', max_instances: 4 });
    await orchestrate.registerAgent({ name: 'nest-fickle', type: 'worker' });
    workers.push(
      new AgentWorker({
        agent: 'nest-gated',
        brokers,
        handler: async (input) => {
          const key = (input as { gate?: string }).gate;
          if (key) await gate.pass(key);
          return { echoed: input };
        },
      }),
      new AgentWorker({
        agent: 'nest-fickle',
        brokers,
        // Fails for item "b" until the test mends it.
        handler: (input, task) => {
          if (failing && input === 'b') throw new Error('the ledger is down');
          return { booked: input, attempt: task.attempt };
        },
      }),
    );
    await Promise.all(workers.map((w) => w.start()));
    await orchestrate.createWorkflow({
      name: 'nest-child',
      steps: [{ name: 'work', agent: 'nest-gated', input: { gate: '${input.gate}' } }],
    });
    await orchestrate.createWorkflow({
      name: 'nest-parent',
      steps: [
        { name: 'delegate', workflow: 'nest-child', input: { gate: '${input.gate}' } },
        { name: 'after', agent: 'nest-gated', input: { done: '${delegate.echoed.gate}' } },
      ],
    });
    await orchestrate.createWorkflow(`
workflow:
  name: nest-bookings
  steps:
    - name: each
      foreach:
        items: \${input.items}
        as: item
        steps:
          - name: book
            agent: nest-fickle
            input: \${item}
    - name: summary
      agent: nest-gated
      input: { booked: '\${each.output}' }
`);
    await orchestrate.createWorkflow(`
workflow:
  name: nest-approval
  steps:
    - name: approval
      wait_for_event:
        type: nest.order.approved
        correlation: \${input.order_id}
        timeout: 60s
    - name: ship
      agent: nest-gated
      input: \${approval.output}
`);
  });

  afterAll(async () => {
    gate.openAll();
    await Promise.all(workers.map((w) => w.stop()));
  });

  async function start(workflow: string, input: Record<string, unknown>): Promise<FlowRunView> {
    return eventually(
      async () => {
        const response = await api<FlowRunView>('POST', `/v1/workflows/${workflow}/runs`, {
          body: { input },
        });
        return response.status === 201 ? response.body : undefined;
      },
      20_000,
      `a run of ${workflow}`,
    );
  }

  const operate = (id: string, operation: string, body?: unknown) =>
    api<FlowRunView & { code?: string }>('POST', `/v1/runs/${id}/${operation}`, { body });
  const view = async (id: string) => (await orchestrate.getRun(id)) as FlowRunView;
  const step = (run: FlowRunView, path: string) => run.steps.find((s) => s.path === path);

  /** The child run a sub-workflow step started, once it has one. */
  const childOf = (id: string, path: string) =>
    eventually(
      async () => step(await view(id), path)?.child_run_id ?? undefined,
      20_000,
      `the child run of ${path}`,
    );

  it('cancelling a parent run cancels its running child run', async () => {
    const key = `cancel-${randomUUID()}`;
    const parent = await start('nest-parent', { gate: key });
    await gate.arrived(key);
    const childId = await childOf(parent.id, 'delegate');

    const cancelled = await operate(parent.id, 'cancel', { reason: 'order withdrawn' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({
      status: 'cancelled',
      error: { type: 'cancelled', message: 'order withdrawn' },
    });
    expect(step(cancelled.body, 'delegate')?.status).toBe('cancelled');

    const child = await eventually(
      async () => {
        const run = await view(childId);
        return run.status === 'cancelled' ? run : undefined;
      },
      20_000,
      'the child run cancelled',
    );
    expect(child.parent_run_id).toBe(parent.id);
    expect(step(child, 'work')?.status).toBe('cancelled');

    // The child's agent answers now: neither run moves.
    gate.open(key);
    await sleep(1500);
    expect((await view(childId)).status).toBe('cancelled');
    const later = await view(parent.id);
    expect(later.status).toBe('cancelled');
    expect(later.steps.map((s) => s.path)).toEqual(['delegate']);
  });

  it('retries a failed step inside a foreach; the other iterations keep their outputs', async () => {
    failing = true;
    const run = await start('nest-bookings', { items: ['a', 'b'] });
    const failed = (await orchestrate.waitForRun(run.id)) as FlowRunView;
    expect(failed.status).toBe('failed');
    expect(failed.error).toEqual({ type: 'system_error', message: 'the ledger is down' });
    expect(step(failed, 'each[0].book')).toMatchObject({ status: 'completed', attempts: 1 });
    expect(step(failed, 'each[1].book')).toMatchObject({ status: 'failed', attempts: 1 });
    expect(step(failed, 'each')?.status).toBe('failed');

    failing = false;
    const retried = await operate(run.id, 'retry');
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ status: 'running', error: null });
    const finished = (await orchestrate.waitForRun(run.id)) as FlowRunView;
    expect(finished.status).toBe('completed');
    expect(finished.steps.map((s) => [s.path, s.status, s.attempts])).toEqual([
      ['each', 'completed', 1],
      ['each[0].book', 'completed', 1],
      ['each[1].book', 'completed', 2],
      ['summary', 'completed', 1],
    ]);
    expect(finished.output).toEqual({
      echoed: {
        booked: [
          { booked: 'a', attempt: 1 },
          { booked: 'b', attempt: 2 },
        ],
      },
    });
    expect((await operate(run.id, 'retry')).status).toBe(409);
  });

  it('pauses a run whose wait an event ends meanwhile: resume takes the event', async () => {
    const orderId = randomUUID();
    const run = await start('nest-approval', { order_id: orderId });
    await eventually(
      async () => (step(await view(run.id), 'approval')?.status === 'waiting' ? true : undefined),
      20_000,
      'the approval step waiting',
    );
    expect((await operate(run.id, 'pause')).status).toBe(200);
    await orchestrate.publishEvent({
      type: 'nest.order.approved',
      subject: orderId,
      data: { approved_by: 'ada' },
    });
    await eventually(
      async () => {
        const page = await orchestrate.listEvents({
          type: 'nest.order.approved',
          subject: orderId,
        });
        return page.items[0];
      },
      15_000,
      'the approval event stored',
    );
    await sleep(1500);
    const held = await view(run.id);
    expect(held.status).toBe('paused');
    expect(step(held, 'approval')?.status).toBe('waiting');

    expect((await operate(run.id, 'resume')).status).toBe(200);
    const finished = (await orchestrate.waitForRun(run.id)) as FlowRunView;
    expect(finished.status).toBe('completed');
    expect(step(finished, 'approval')?.output).toEqual({ approved_by: 'ada' });
    expect(finished.output).toEqual({ echoed: { approved_by: 'ada' } });
  });

  it('pauses a parent while its child run finishes: resume carries on with its output', async () => {
    const key = `pause-${randomUUID()}`;
    const parent = await start('nest-parent', { gate: key });
    await gate.arrived(key);
    const childId = await childOf(parent.id, 'delegate');
    expect((await operate(parent.id, 'pause')).status).toBe(200);

    gate.open(key);
    const child = (await orchestrate.waitForRun(childId)) as RunView;
    expect(child.status).toBe('completed');
    await sleep(1500);
    const held = await view(parent.id);
    expect(held.status).toBe('paused');
    expect(step(held, 'delegate')?.status).toBe('running');

    expect((await operate(parent.id, 'resume')).status).toBe(200);
    const finished = (await orchestrate.waitForRun(parent.id)) as FlowRunView;
    expect(finished.status).toBe('completed');
    expect(finished.steps.map((s) => [s.path, s.status])).toEqual([
      ['delegate', 'completed'],
      ['after', 'completed'],
    ]);
    expect(finished.output).toEqual({ echoed: { done: key } });
  });
});
