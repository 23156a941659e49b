import type { RunView } from '@baton/contracts';
import { AgentWorker, type OrchestratePlatform } from '@baton/sdk';
import { Gate } from './support/gate';
import { api, eventually, metricValue, platformState, sdk } from './support/platform';
import { readSse, type ServerSentEvent } from './support/sse';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** cancel, pause, resume and retry, and a run's history as Server-Sent Events. */
describe('run operations', () => {
  let orchestrate: OrchestratePlatform;
  const gate = new Gate();
  const workers: AgentWorker[] = [];
  let failing = true;

  beforeAll(async () => {
    orchestrate = sdk();
    const brokers = platformState().kafkaBrokers.split(',');
    await orchestrate.registerAgent({ name: 'gated-agent', type: 'worker', max_instances: 4 });
    await orchestrate.registerAgent({ name: 'fickle-agent', type: 'worker' });
    workers.push(
      // Each task waits at the gate named by its input, then echoes the input.
      new AgentWorker({
        agent: 'gated-agent',
        brokers,
        handler: async (input) => {
          const key = (input as { gate?: string }).gate;
          if (key) await gate.pass(key);
          return { echoed: input };
        },
      }),
      new AgentWorker({
        agent: 'fickle-agent',
        brokers,
        handler: (input, task) => {
          if (failing) throw new Error('the ledger is down');
          return { ok: true, attempt: task.attempt, input };
        },
      }),
    );
    await Promise.all(workers.map((w) => w.start()));
    await orchestrate.createWorkflow({
      name: 'two-gates',
      steps: [
        { name: 'first', agent: 'gated-agent', input: { gate: '${input.first}' }, timeout: '3s' },
        { name: 'second', agent: 'gated-agent', input: { gate: '${input.second}' } },
      ],
    });
    // The same without a timeout, for a test whose pause may take a while.
    await orchestrate.createWorkflow({
      name: 'two-gates-untimed',
      steps: [
        { name: 'first', agent: 'gated-agent', input: { gate: '${input.first}' } },
        { name: 'second', agent: 'gated-agent', input: { gate: '${input.second}' } },
      ],
    });
    await orchestrate.createWorkflow({
      name: 'fickle',
      steps: [
        { name: 'prepare', agent: 'gated-agent', input: { step: 'prepare' } },
        { name: 'book', agent: 'fickle-agent', input: '${prepare.echoed}' },
      ],
    });
  });

  afterAll(async () => {
    gate.openAll();
    await Promise.all(workers.map((w) => w.stop()));
  });

  /** Starts a run, retrying while the engine has not yet heard of the agents. */
  async function start(workflow: string, input: Record<string, unknown>): Promise<RunView> {
    return eventually(
      async () => {
        const response = await api<RunView>('POST', `/v1/workflows/${workflow}/runs`, {
          body: { input },
        });
        return response.status === 201 ? response.body : undefined;
      },
      20_000,
      `a run of ${workflow}`,
    );
  }

  const operate = (id: string, operation: string, body?: unknown) =>
    api<RunView & { code?: string }>('POST', `/v1/runs/${id}/${operation}`, { body });

  it('cancels a running run; the late result of its step is ignored', async () => {
    const run = await start('two-gates', { first: 'cancel-1', second: '' });
    await gate.arrived('cancel-1');
    const cancelled = await operate(run.id, 'cancel', { reason: 'customer withdrew' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({
      status: 'cancelled',
      error: { type: 'cancelled', message: 'customer withdrew' },
      steps: [{ name: 'first', status: 'cancelled' }],
    });
    expect(cancelled.body.finished_at).not.toBeNull();

    gate.open('cancel-1'); // the agent answers now
    await sleep(1500);
    const later = await orchestrate.getRun(run.id);
    expect(later.status).toBe('cancelled');
    expect(later.steps).toEqual([expect.objectContaining({ name: 'first', output: null })]);
    // Cancelling again is harmless; pausing or retrying a cancelled run is a conflict.
    expect((await operate(run.id, 'cancel')).status).toBe(200);
    const conflict = await operate(run.id, 'pause');
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({
      code: 'RUN.INVALID_STATE',
      category: 'RESOURCE.CONFLICT',
    });
    expect((await operate(run.id, 'retry')).status).toBe(409);
  });

  it('pauses a run: what arrives meanwhile waits, and resume carries on from there', async () => {
    const run = await start('two-gates', { first: 'pause-1', second: '' });
    await gate.arrived('pause-1');
    const paused = await operate(run.id, 'pause');
    expect(paused.status).toBe(200);
    expect(paused.body.status).toBe('paused');

    // The step's 3 s timeout passes while paused, and its result arrives: neither moves the run.
    const decided = (outcome: string) =>
      metricValue('workflow-engine', 'baton_engine_cached_decisions_total', { outcome });
    const [staleBefore, cachedBefore] = [await decided('stale'), await decided('cached')];
    gate.open('pause-1');
    await sleep(4000);
    const held = await orchestrate.getRun(run.id);
    expect(held.status).toBe('paused');
    expect(held.steps).toEqual([expect.objectContaining({ name: 'first', status: 'running' })]);
    // The engine had the run cached as running: the pause made that stale, so the
    // write decided from the cache was refused and the locked path held the result.
    expect(await decided('stale')).toBeGreaterThan(staleBefore);

    const resumed = await operate(run.id, 'resume');
    expect(resumed.status).toBe(200);
    expect(resumed.body.status).toBe('running');
    const finished = await orchestrate.waitForRun(run.id);
    expect(finished.status).toBe('completed');
    expect(finished.steps.map((s) => [s.name, s.status, s.attempts])).toEqual([
      ['first', 'completed', 1],
      ['second', 'completed', 1],
    ]);
    expect(finished.steps[0].output).toEqual({ echoed: { gate: 'pause-1' } });
    // The second step's result, after the resume, was decided from the cache again.
    expect(await decided('cached')).toBeGreaterThan(cachedBefore);
    expect((await operate(run.id, 'resume')).status).toBe(409);
  });

  it('retries a failed run from its failed step as a new attempt', async () => {
    failing = true;
    const run = await start('fickle', {});
    const failed = await orchestrate.waitForRun(run.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toEqual({ type: 'system_error', message: 'the ledger is down' });
    expect(failed.steps.map((s) => [s.name, s.status, s.attempts])).toEqual([
      ['prepare', 'completed', 1],
      ['book', 'failed', 1],
    ]);

    failing = false;
    const retried = await operate(run.id, 'retry');
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ status: 'running', error: null });
    const finished = await orchestrate.waitForRun(run.id);
    expect(finished.status).toBe('completed');
    expect(finished.steps.map((s) => [s.name, s.status, s.attempts])).toEqual([
      ['prepare', 'completed', 1],
      ['book', 'completed', 2],
    ]);
    expect(finished.steps[1].output).toEqual({ ok: true, attempt: 2, input: { step: 'prepare' } });
    expect((await operate(run.id, 'retry')).status).toBe(409);
    expect((await operate(run.id, 'cancel')).status).toBe(409);
  });

  it('answers 404 for an unknown run and 422 for a malformed id', async () => {
    expect((await operate('00000000-0000-4000-8000-000000000000', 'pause')).status).toBe(404);
    expect((await operate('not-a-run', 'cancel')).status).toBe(422);
  });

  it('streams a finished run’s history as Server-Sent Events, then closes', async () => {
    const run = await orchestrate.waitForRun((await start('fickle', {})).id);
    expect(run.status).toBe('completed');
    // Wait until the event store has the whole run, so the stream is the complete history.
    await eventually(
      async () => {
        const stored = await orchestrate.listEvents({
          subject: run.id,
          type: 'workflow.run.completed',
        });
        return stored.items[0];
      },
      15_000,
      'the run.completed event',
    );
    const stream = await readSse(`/v1/runs/${run.id}/events`);
    expect(stream.status).toBe(200);
    expect(stream.contentType).toContain('text/event-stream');
    expect(stream.closedByServer).toBe(true);
    expect(stream.events.map((e) => e.event)).toEqual([
      'workflow.run.started',
      'workflow.step.started',
      'workflow.step.completed',
      'workflow.step.started',
      'workflow.step.completed',
      'workflow.run.completed',
    ]);
    const last = JSON.parse(stream.events[5].data) as { id: string; data: unknown };
    expect(stream.events[5].id).toBe(last.id);
    expect(last.data).toMatchObject({ run_id: run.id, status: 'completed' });

    // Reconnecting with Last-Event-ID sends only what came after it.
    const resumed = await readSse(`/v1/runs/${run.id}/events`, {
      headers: { 'last-event-id': stream.events[3].id! },
    });
    expect(resumed.events.map((e) => e.event)).toEqual([
      'workflow.step.completed',
      'workflow.run.completed',
    ]);
    const missing = await readSse('/v1/runs/00000000-0000-4000-8000-000000000000/events');
    expect(missing.status).toBe(404);
  });

  it('streams a live run: events arrive as they happen, through pause and resume', async () => {
    const run = await start('two-gates-untimed', { first: 'live-1', second: 'live-2' });
    const seen: ServerSentEvent[] = [];
    const streaming = readSse(`/v1/runs/${run.id}/events`, {
      onEvent: (event) => seen.push(event),
      timeoutMs: 45_000,
    });
    await gate.arrived('live-1');
    await eventually(
      async () => (seen.some((e) => e.event === 'workflow.step.started') ? true : undefined),
      15_000,
      'the first step on the stream',
    );
    expect((await operate(run.id, 'pause')).status).toBe(200);
    await eventually(
      async () => (seen.some((e) => e.event === 'workflow.run.paused') ? true : undefined),
      15_000,
      'the pause on the stream',
    );
    expect((await operate(run.id, 'resume')).status).toBe(200);
    gate.open('live-1');
    await gate.arrived('live-2');
    gate.open('live-2');
    const stream = await streaming;
    expect(stream.closedByServer).toBe(true);
    expect(stream.events.map((e) => e.event)).toEqual([
      'workflow.run.started',
      'workflow.step.started',
      'workflow.run.paused',
      'workflow.run.resumed',
      'workflow.step.completed',
      'workflow.step.started',
      'workflow.step.completed',
      'workflow.run.completed',
    ]);
  });
});
