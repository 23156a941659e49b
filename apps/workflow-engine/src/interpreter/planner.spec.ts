import { completed, definitionOf, failed } from './testing/workflows';
import { type WorkflowDefinition } from '@baton/workflow-dsl';
import type { Effect } from './effects';
import { createContext, decide } from './planner';
import { initialState } from './state';

const SEED = definitionOf(`
workflow:
  name: customer-inquiry-handler
  trigger: incoming-message
  steps:
    - name: classify-inquiry
      agent: classification-agent
      timeout: 5s
    - name: route-to-specialist
      agent: routing-agent
      input: \${classify-inquiry.output}
    - name: process-inquiry
      agent: \${route-to-specialist.specialist}
      input: \${classify-inquiry.context}
    - name: send-response
      action: send-message
      input: \${process-inquiry.response}
`);

function context(definition: WorkflowDefinition, input: unknown = { text: 'hi' }) {
  let ids = 0;
  return createContext({
    definition,
    run: { id: 'run-1', workflow: definition.name, version: 1, input },
    state: initialState(),
    records: [],
    now: () => 1000,
    newId: () => `task-${++ids}`,
    random: () => 1,
  });
}

type Dispatch = Extract<Effect, { kind: 'dispatch' }>;
const dispatches = (effects: Effect[]): Dispatch[] =>
  effects.filter((e): e is Dispatch => e.kind === 'dispatch');

describe('decide: sequential steps', () => {
  it('dispatches the first step with the run input and arms its timeout', async () => {
    const ctx = context(SEED);
    await decide(ctx, { kind: 'start' });
    expect(dispatches(ctx.effects)).toEqual([
      expect.objectContaining({
        key: 'classify-inquiry',
        target: 'agent',
        name: 'classification-agent',
        input: { text: 'hi' },
        attempt: 1,
      }),
    ]);
    expect(ctx.effects).toContainEqual({
      kind: 'timer',
      timer: 'step-timeout',
      taskId: 'task-1',
      attempt: 1,
      delayMs: 5000,
    });
    expect(ctx.records.get('classify-inquiry')).toMatchObject({ status: 'running', frame: '' });
  });

  it("resolves the seed's agent expression from an earlier step's output", async () => {
    const ctx = context(SEED);
    await decide(ctx, { kind: 'start' });
    await decide(ctx, completed('task-1', { category: 'billing', context: { text: 'hi' } }));
    await decide(ctx, completed('task-2', { specialist: 'billing-agent' }));
    expect(dispatches(ctx.effects).at(-1)).toMatchObject({
      key: 'process-inquiry',
      name: 'billing-agent',
      input: { text: 'hi' },
    });
  });

  it('ignores a late result for an attempt that is no longer current', async () => {
    const ctx = context(SEED);
    await decide(ctx, { kind: 'start' });
    await decide(ctx, { kind: 'timer', timer: 'step-timeout', taskId: 'task-1', attempt: 1 });
    expect(ctx.outcome).toEqual({
      status: 'failed',
      error: {
        type: 'timeout',
        message: "step 'classify-inquiry' timed out after 5s",
        step: 'classify-inquiry',
      },
    });
    const effects = ctx.effects.length;
    await decide(ctx, completed('task-1', {}));
    expect(ctx.effects.length).toBe(effects);
    expect(ctx.records.get('classify-inquiry')?.status).toBe('failed');
  });

  it('fails with a system_error naming the step when the agent expression resolves to nothing', async () => {
    const ctx = context(SEED);
    await decide(ctx, { kind: 'start' });
    await decide(ctx, completed('task-1', {}));
    await decide(ctx, completed('task-2', {}));
    expect(ctx.outcome).toEqual({
      status: 'failed',
      error: {
        type: 'system_error',
        message: "step 'process-inquiry' resolved to no agent",
        step: 'process-inquiry',
      },
    });
  });

  it('turns an expression evaluation error into a system_error naming step and expression', async () => {
    const ctx = context(
      definitionOf(`
workflow:
  name: broken-expression
  steps:
    - name: a
      agent: x
      input: \${$number("not a number")}
`),
    );
    await decide(ctx, { kind: 'start' });
    expect(ctx.outcome).toMatchObject({
      status: 'failed',
      error: { type: 'system_error', step: 'a' },
    });
    const message = (ctx.outcome as { error: { message: string } }).error.message;
    expect(message).toContain("step 'a' input:");
    expect(message).toContain('in expression "$number(\\"not a number\\")"');
  });

  it('parks a retried step with a backoff timer, then dispatches the next attempt', async () => {
    const ctx = context(
      definitionOf(`
workflow:
  name: retried
  retry_policy: { max_attempts: 2, backoff: fixed, initial_delay: 250 }
  steps:
    - name: a
      agent: x
`),
    );
    await decide(ctx, { kind: 'start' });
    await decide(ctx, failed('task-1'));
    expect(ctx.records.get('a')).toMatchObject({ status: 'retrying', attempt: 1 });
    expect(ctx.effects.at(-1)).toEqual({
      kind: 'timer',
      timer: 'retry',
      taskId: 'task-1',
      delayMs: 250,
    });
    await decide(ctx, { kind: 'timer', timer: 'retry', taskId: 'task-1' });
    expect(dispatches(ctx.effects).at(-1)).toMatchObject({ key: 'a', attempt: 2 });
  });
});

describe('decide: parallel join any', () => {
  const RACE = definitionOf(`
workflow:
  name: race
  steps:
    - name: race
      parallel:
        join: any
        branches:
          - steps:
              - { name: fast, agent: a }
          - steps:
              - { name: slow, agent: b }
`);

  it('starts every branch at once, keyed by branch position', async () => {
    const ctx = context(RACE);
    await decide(ctx, { kind: 'start' });
    expect(dispatches(ctx.effects).map((d) => d.key)).toEqual(['race[0].fast', 'race[1].slow']);
  });

  it('completes with the first branch and releases what the others still wait for', async () => {
    const ctx = context(RACE);
    await decide(ctx, { kind: 'start' });
    const slow = ctx.records.get('race[1].slow')!;
    await decide(ctx, completed(ctx.records.get('race[0].fast')!.taskId, { winner: 'fast' }));
    expect(ctx.outcome).toEqual({ status: 'completed', output: { winner: 'fast' } });
    expect(slow.status).toBe('cancelled');
    expect(ctx.effects).toContainEqual({
      kind: 'release',
      taskId: slow.taskId,
      children: false,
      waits: false,
    });
    // The cancelled branch's late answer changes nothing.
    const before = ctx.effects.length;
    await decide(ctx, completed(slow.taskId, {}));
    expect(ctx.effects.length).toBe(before);
  });
});

describe('decide: wait_for_event', () => {
  const WAIT = definitionOf(`
workflow:
  name: approval
  steps:
    - name: approval
      wait_for_event:
        type: order.approved
        correlation: \${input.order_id}
        timeout: 2s
    - name: after
      agent: a
      input: \${approval.output}
`);

  it('waits with its correlation and a timeout, and takes the event data as output', async () => {
    const ctx = context(WAIT, { order_id: 42 });
    await decide(ctx, { kind: 'start' });
    expect(ctx.effects).toContainEqual({
      kind: 'await-event',
      key: 'approval',
      step: 'approval',
      taskId: 'task-1',
      eventType: 'order.approved',
      correlation: '42',
    });
    expect(ctx.effects).toContainEqual(
      expect.objectContaining({ kind: 'timer', timer: 'step-timeout', delayMs: 2000 }),
    );
    expect(ctx.records.get('approval')?.status).toBe('waiting');
    await decide(ctx, {
      kind: 'event',
      taskId: 'task-1',
      type: 'order.approved',
      data: { by: 'ada' },
    });
    expect(dispatches(ctx.effects).at(-1)).toMatchObject({ key: 'after', input: { by: 'ada' } });
  });

  it('fails with a timeout naming the event type', async () => {
    const ctx = context(WAIT, { order_id: 42 });
    await decide(ctx, { kind: 'start' });
    await decide(ctx, { kind: 'timer', timer: 'step-timeout', taskId: 'task-1', attempt: 1 });
    expect(ctx.outcome).toMatchObject({
      status: 'failed',
      error: {
        type: 'timeout',
        message: "step 'approval' timed out after 2s waiting for event 'order.approved'",
      },
    });
  });
});

describe('decide: sub-workflows', () => {
  it('starts a child run and completes the step with its output', async () => {
    const ctx = context(
      definitionOf(`
workflow:
  name: parent
  steps:
    - name: child
      workflow: billing
      input: { amount: 3 }
`),
    );
    await decide(ctx, { kind: 'start' });
    expect(ctx.effects).toContainEqual(
      expect.objectContaining({
        kind: 'start-child',
        key: 'child',
        workflow: 'billing',
        input: { amount: 3 },
        attempt: 1,
      }),
    );
    await decide(ctx, {
      kind: 'child-finished',
      taskId: 'task-1',
      attempt: 1,
      status: 'completed',
      output: { paid: true },
    });
    expect(ctx.outcome).toEqual({ status: 'completed', output: { paid: true } });
  });

  it("fails the step with the child's error", async () => {
    const ctx = context(
      definitionOf(`
workflow:
  name: parent
  steps:
    - { name: child, workflow: billing }
`),
    );
    await decide(ctx, { kind: 'start' });
    await decide(ctx, {
      kind: 'child-finished',
      taskId: 'task-1',
      attempt: 1,
      status: 'failed',
      error: { type: 'validation_error', message: 'bad card' },
    });
    expect(ctx.outcome).toEqual({
      status: 'failed',
      error: { type: 'validation_error', message: 'bad card', step: 'child' },
    });
  });
});

describe('decide: the workflow timeout', () => {
  const slow = (handlers: string) =>
    definitionOf(`
workflow:
  name: slow
  timeout: 2s
  error_handlers: ${handlers}
  steps:
    - name: work
      agent: a
    - name: apologise
      agent: b
`);

  it('fails the step the run is at and runs the timeout handler (notify-admin)', async () => {
    const ctx = context(slow('{ timeout: notify-admin }'));
    await decide(ctx, { kind: 'start' });
    await decide(ctx, { kind: 'timer', timer: 'run-timeout' });
    expect(ctx.records.get('work')?.status).toBe('failed');
    expect(ctx.effects).toContainEqual(
      expect.objectContaining({
        kind: 'event',
        type: 'workflow.alert',
        data: expect.objectContaining({ step: 'work', via: 'error_handlers' }),
      }),
    );
    expect(ctx.outcome).toMatchObject({
      status: 'failed',
      error: { type: 'timeout', step: 'work', message: "workflow 'slow' timed out after 2000 ms" },
    });
  });

  it('ends with the user-facing payload under return-to-user', async () => {
    const ctx = context(slow('{ default: return-to-user }'));
    await decide(ctx, { kind: 'start' });
    await decide(ctx, { kind: 'timer', timer: 'run-timeout' });
    expect(ctx.outcome).toMatchObject({
      status: 'failed',
      output: { type: 'timeout', step: 'work' },
    });
  });

  it('goes on at a handler step, and ignores the timed-out step’s late result', async () => {
    const ctx = context(slow('{ timeout: apologise }'));
    await decide(ctx, { kind: 'start' });
    await decide(ctx, { kind: 'timer', timer: 'run-timeout' });
    expect(ctx.outcome).toBeUndefined();
    expect(dispatches(ctx.effects).at(-1)).toMatchObject({ key: 'apologise' });
    const effects = ctx.effects.length;
    await decide(ctx, completed('task-1', { late: true }));
    expect(ctx.records.get('work')?.status).toBe('failed');
    expect(ctx.effects.length).toBe(effects);
  });
});
