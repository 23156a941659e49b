import { definitionOf } from './testing/workflows';
import { type WorkflowDefinition } from '@baton/workflow-dsl';
import type { Effect, RunContext, RunInput } from './effects';
import { createContext, decide } from './planner';
import { RUN_RETRIED, retryProblem } from './retry';
import { initialState, type ControlState, type StepRecord } from './state';

/**
 * Runs decisions the way the engine does: each in a fresh context built from
 * the state and records the previous one persisted (through JSON), so nothing
 * a retry needs can live only in memory.
 */
class Engine {
  private ids = 0;
  private state: ControlState = initialState();
  private records: StepRecord[] = [];
  effects: Effect[] = [];
  last!: RunContext;

  constructor(private readonly definition: WorkflowDefinition) {}

  async decide(input: RunInput): Promise<RunContext> {
    const ctx = createContext({
      definition: this.definition,
      run: { id: 'run-1', workflow: this.definition.name, version: 1, input: { n: 1 } },
      state: JSON.parse(JSON.stringify(this.state)) as ControlState,
      records: JSON.parse(JSON.stringify(this.records)) as StepRecord[],
      now: () => 1000,
      newId: () => `task-${++this.ids}`,
      random: () => 1,
    });
    await decide(ctx, input);
    this.state = ctx.state;
    this.records = [...ctx.records.values()];
    this.effects = ctx.effects;
    this.last = ctx;
    return ctx;
  }

  record(key: string): StepRecord {
    const found = this.records.find((r) => r.key === key);
    if (!found) throw new Error(`no record ${key}`);
    return found;
  }

  /** The engine's check before a retry, on a fresh context of the failed run. */
  problem(): string | undefined {
    const ctx = createContext({
      definition: this.definition,
      run: { id: 'run-1', workflow: this.definition.name, version: 1, input: {} },
      state: JSON.parse(JSON.stringify(this.state)) as ControlState,
      records: this.records,
      newId: () => 'unused',
    });
    return retryProblem(ctx);
  }

  answer(key: string, output: unknown): Promise<RunContext> {
    const record = this.record(key);
    return this.decide({
      kind: 'task-result',
      taskId: record.taskId,
      attempt: record.attempt,
      status: 'completed',
      output,
    });
  }

  fail(key: string, message = 'the ledger is down'): Promise<RunContext> {
    const record = this.record(key);
    return this.decide({
      kind: 'task-result',
      taskId: record.taskId,
      attempt: record.attempt,
      status: 'failed',
      error: { type: 'system_error', message },
    });
  }
}

type Dispatch = Extract<Effect, { kind: 'dispatch' }>;
const dispatched = (effects: Effect[]) =>
  effects
    .filter((e): e is Dispatch => e.kind === 'dispatch')
    .map((d) => [d.key, d.attempt, d.input]);

describe('retry from the failed step', () => {
  it('sends a failed top-level step again as attempt 2 with the same task and input', async () => {
    const engine = new Engine(
      definitionOf(`
workflow:
  name: fickle
  timeout: 1m
  steps:
    - { name: prepare, agent: a }
    - { name: book, agent: b, input: '\${prepare.output}', timeout: 5s }
    - { name: confirm, agent: c }
`),
    );
    await engine.decide({ kind: 'start' });
    await engine.answer('prepare', { ready: true });
    const taskId = engine.record('book').taskId;
    const failed = await engine.fail('book');
    expect(failed.outcome).toMatchObject({ status: 'failed' });
    expect(engine.problem()).toBeUndefined();

    const retried = await engine.decide({ kind: 'retry' });
    expect(retried.outcome).toBeUndefined();
    expect(dispatched(retried.effects)).toEqual([['book', 2, { ready: true }]]);
    expect(engine.record('book')).toMatchObject({
      taskId,
      status: 'running',
      attempt: 2,
      error: null,
    });
    expect(retried.effects).toContainEqual({
      kind: 'event',
      type: RUN_RETRIED,
      data: { step: 'book', path: 'book', attempt: 2 },
    });
    // The run's own timeout and the step's timeout start again.
    expect(retried.effects).toContainEqual({
      kind: 'timer',
      timer: 'run-timeout',
      delayMs: 60_000,
    });
    expect(retried.effects).toContainEqual(
      expect.objectContaining({ timer: 'step-timeout', taskId, attempt: 2 }),
    );
    expect(retried.state.retry).toBeUndefined();

    // A late answer to the failed attempt is ignored; the new attempt's moves the run on.
    const late = await engine.decide({
      kind: 'task-result',
      taskId,
      attempt: 1,
      status: 'completed',
      output: { late: true },
    });
    expect(late.effects).toEqual([]);
    await engine.answer('book', { booked: true });
    const done = await engine.answer('confirm', { ok: true });
    expect(done.outcome).toEqual({ status: 'completed', output: { ok: true } });
    expect(engine.record('prepare').attempt).toBe(1);
  });

  it('retries a step inside a foreach iteration and restarts the iteration the failure cancelled', async () => {
    const engine = new Engine(
      definitionOf(`
workflow:
  name: charges
  steps:
    - name: each
      foreach:
        items: [10, 20, 30]
        as: amount
        concurrency: 2
        steps:
          - { name: charge, agent: pay, input: '\${amount}' }
    - { name: total, agent: sum, input: '\${each.output}' }
`),
    );
    await engine.decide({ kind: 'start' });
    await engine.answer('each[0].charge', 'c10');
    // Iterations 1 and 2 run; 2 fails and takes the foreach (and iteration 1) down.
    const failed = await engine.fail('each[2].charge');
    expect(failed.outcome).toMatchObject({ status: 'failed' });
    expect(engine.record('each[1].charge').status).toBe('cancelled');
    expect(engine.record('each').status).toBe('failed');

    const retried = await engine.decide({ kind: 'retry' });
    expect(dispatched(retried.effects)).toEqual([
      ['each[1].charge', 2, 20],
      ['each[2].charge', 2, 30],
    ]);
    expect(engine.record('each').status).toBe('running');
    await engine.answer('each[2].charge', 'c30');
    const joined = await engine.answer('each[1].charge', 'c20');
    expect(dispatched(joined.effects)).toEqual([['total', 1, ['c10', 'c20', 'c30']]]);
    expect(engine.record('each')).toMatchObject({
      status: 'completed',
      output: ['c10', 'c20', 'c30'],
    });
    const done = await engine.answer('total', 60);
    expect(done.outcome).toEqual({ status: 'completed', output: 60 });
  });

  it('puts a parallel branch back to waiting for its event', async () => {
    const engine = new Engine(
      definitionOf(`
workflow:
  name: fan
  steps:
    - name: fan
      parallel:
        branches:
          - steps:
              - name: approval
                wait_for_event: { type: order.approved, correlation: '\${input.n}' }
          - steps:
              - { name: check, agent: x }
`),
    );
    await engine.decide({ kind: 'start' });
    const waitTask = engine.record('fan[0].approval').taskId;
    await engine.fail('fan[1].check');
    expect(engine.record('fan[0].approval').status).toBe('cancelled');
    expect(engine.effects).toContainEqual(
      expect.objectContaining({ kind: 'release', taskId: waitTask, waits: true }),
    );

    const retried = await engine.decide({ kind: 'retry' });
    expect(retried.effects).toContainEqual({
      kind: 'await-event',
      key: 'fan[0].approval',
      step: 'approval',
      taskId: waitTask,
      eventType: 'order.approved',
      correlation: '1',
    });
    expect(engine.record('fan[0].approval')).toMatchObject({
      status: 'waiting',
      waitingFor: { type: 'order.approved', correlation: '1' },
    });
    await engine.answer('fan[1].check', 'checked');
    const done = await engine.decide({
      kind: 'event',
      taskId: waitTask,
      type: 'order.approved',
      data: { by: 'ada' },
    });
    expect(done.outcome).toEqual({ status: 'completed', output: [{ by: 'ada' }, 'checked'] });
  });

  it('retries the step whose failure failed the run, not one an on_error handled before', async () => {
    const engine = new Engine(
      definitionOf(`
workflow:
  name: handled
  steps:
    - { name: first, agent: a, on_error: fallback }
    - { name: skipped, agent: b }
    - { name: fallback, agent: c }
`),
    );
    await engine.decide({ kind: 'start' });
    await engine.fail('first');
    expect(engine.last.outcome).toBeUndefined();
    await engine.fail('fallback');
    expect(engine.last.outcome).toMatchObject({ status: 'failed' });
    const retried = await engine.decide({ kind: 'retry' });
    expect(dispatched(retried.effects)).toEqual([['fallback', 2, { n: 1 }]]);
    const done = await engine.answer('fallback', 'saved');
    expect(done.outcome).toEqual({ status: 'completed', output: 'saved' });
  });

  it('restarts a sub-workflow step as a new child run', async () => {
    const engine = new Engine(
      definitionOf(`
workflow:
  name: parent
  steps:
    - { name: child, workflow: kid }
`),
    );
    await engine.decide({ kind: 'start' });
    const child = engine.record('child');
    await engine.decide({
      kind: 'child-finished',
      taskId: child.taskId,
      attempt: 1,
      status: 'failed',
      error: { type: 'system_error', message: 'kid failed' },
    });
    const retried = await engine.decide({ kind: 'retry' });
    expect(retried.effects).toContainEqual(
      expect.objectContaining({ kind: 'start-child', taskId: child.taskId, attempt: 2 }),
    );
  });

  it('retries a run that timed out at a step from that step, with a new workflow timeout', async () => {
    const timedOut = new Engine(
      definitionOf(`
workflow:
  name: slow
  timeout: 1s
  steps: [{ name: a, agent: a }]
`),
    );
    await timedOut.decide({ kind: 'start' });
    await timedOut.decide({ kind: 'timer', timer: 'run-timeout' });
    expect(timedOut.last.outcome).toMatchObject({
      status: 'failed',
      error: { type: 'timeout', step: 'a' },
    });
    expect(timedOut.problem()).toBeUndefined();
    const retried = await timedOut.decide({ kind: 'retry' });
    expect(retried.effects).toContainEqual(
      expect.objectContaining({ kind: 'dispatch', target: 'agent', step: 'a', attempt: 2 }),
    );
    expect(retried.effects).toContainEqual({ kind: 'timer', timer: 'run-timeout', delayMs: 1000 });
  });

  it('refuses a run that failed before a step was sent', async () => {
    const badInput = new Engine(
      definitionOf(`
workflow:
  name: bad
  steps: [{ name: a, agent: a, input: '\${$number("x")}' }]
`),
    );
    await badInput.decide({ kind: 'start' });
    expect(badInput.last.outcome).toMatchObject({ status: 'failed' });
    expect(badInput.problem()).toMatch(/failed before it was sent out/);
  });
});
