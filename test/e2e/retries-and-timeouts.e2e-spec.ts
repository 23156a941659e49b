import { AgentWorker, TaskError, type OrchestratePlatform } from '@baton/sdk';
import { api, eventually, platformState, sdk } from './support/platform';

/** Durable retries and step timeouts: timers in Postgres, attempts counted per step. */
describe('retries and timeouts', () => {
  let orchestrate: OrchestratePlatform;
  const workers: AgentWorker[] = [];
  const attemptsSeen = new Map<string, number>();

  beforeAll(async () => {
    orchestrate = sdk();
    const brokers = platformState().kafkaBrokers.split(',');
    await orchestrate.registerAgent({ name: 'flaky-agent', type: 'worker' });
    await orchestrate.registerAgent({ name: 'slow-agent', type: 'worker' });
    await orchestrate.registerAgent({ name: 'picky-agent', type: 'worker' });
    workers.push(
      // Fails the first attempt of every task, succeeds on the second.
      new AgentWorker({
        agent: 'flaky-agent',
        brokers,
        handler: (input, task) => {
          attemptsSeen.set(task.taskId, task.attempt);
          if (task.attempt === 1) throw new Error('temporary outage');
          return { ok: true, attempt: task.attempt, input };
        },
      }),
      new AgentWorker({
        agent: 'slow-agent',
        brokers,
        handler: async () => {
          await new Promise((resolve) => setTimeout(resolve, 3000));
          return { late: true };
        },
      }),
      new AgentWorker({
        agent: 'picky-agent',
        brokers,
        handler: () => {
          throw new TaskError('validation_error', 'the input lacks an order id');
        },
      }),
    );
    await Promise.all(workers.map((w) => w.start()));
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
  });

  it('retries a failed step with the workflow retry_policy, as the seed writes it', async () => {
    await orchestrate.createWorkflow({
      name: 'order-processing',
      retry_policy: { max_attempts: 3, backoff: 'exponential', initial_delay: 200 },
      steps: [{ name: 'charge', agent: 'flaky-agent', input: '${input}' }],
    });
    const run = await orchestrate.waitForRun(
      (await orchestrate.startRun('order-processing', { order: 7 })).id,
    );
    expect(run.status).toBe('completed');
    expect(run.steps[0]).toMatchObject({
      name: 'charge',
      status: 'completed',
      attempts: 2,
      output: { ok: true, attempt: 2, input: { order: 7 } },
    });
    // The failed first attempt is on record in the event store.
    const failed = await eventually(
      async () => {
        const events = await api<{
          items: { data: { attempt: number; error: { message: string } } }[];
        }>('GET', `/v1/events?subject=${run.id}&type=workflow.step.failed`);
        return events.body.items.length > 0 ? events.body.items : undefined;
      },
      15_000,
      'the step.failed event',
    );
    expect(failed).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({
          attempt: 1,
          error: { type: 'system_error', message: 'temporary outage' },
        }),
      }),
    ]);
  });

  it('fails a step that outlives its timeout with a timeout error, and ignores the late answer', async () => {
    await orchestrate.createWorkflow({
      name: 'too-slow',
      steps: [{ name: 'wait', agent: 'slow-agent', timeout: '500ms' }],
    });
    const started = await orchestrate.startRun('too-slow', {});
    const run = await orchestrate.waitForRun(started.id, 20_000);
    expect(run.status).toBe('failed');
    expect(run.error).toEqual({ type: 'timeout', message: "step 'wait' timed out after 500ms" });
    expect(run.steps[0]).toMatchObject({ status: 'failed', attempts: 1 });
    // The agent still answers after 3 s; the answer must not revive the step.
    await new Promise((resolve) => setTimeout(resolve, 3500));
    const later = await orchestrate.getRun(run.id);
    expect(later.status).toBe('failed');
    expect(later.steps[0].output).toBeNull();
  });

  it('does not retry a validation_error, and reports it as the run error', async () => {
    await orchestrate.createWorkflow({
      name: 'picky',
      retry_policy: { max_attempts: 3, backoff: 'fixed', initial_delay: 100 },
      steps: [{ name: 'check', agent: 'picky-agent' }],
    });
    const run = await orchestrate.waitForRun((await orchestrate.startRun('picky', {})).id);
    expect(run.status).toBe('failed');
    expect(run.error).toEqual({ type: 'validation_error', message: 'the input lacks an order id' });
    expect(run.steps[0].attempts).toBe(1);
  });
});
