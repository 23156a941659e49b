import { completed, definitionOf, failed } from './testing/workflows';
import { type WorkflowDefinition } from '@baton/workflow-dsl';
import {
  decide,
  initialState,
  type Decision,
  type Effect,
  type RunInput,
  type RunState,
} from './index';

/**
 * The interpreter through its one entry, as a table: a workflow, the inputs
 * that brought the run where it is, one more input, and the effects (in
 * order) and outcome that input must produce. Effects are written short:
 * `dispatch <step>#<attempt>`, `timer <kind> <ms>`, `await <type>`,
 * `child <workflow>`, `release <step>`, `event <type> <step>`.
 */

const TWO_STEPS = definitionOf(`
workflow:
  name: two-steps
  steps:
    - { name: classify, agent: classifier, timeout: 5s }
    - { name: reply, action: send-message, input: '\${classify.output}' }
`);

const RETRIED = definitionOf(`
workflow:
  name: retried
  steps:
    - name: fetch
      agent: fetcher
      retry: { max_attempts: 2, backoff: fixed, initial_delay: 2s, jitter: false }
`);

const WAITS = definitionOf(`
workflow:
  name: waits
  steps:
    - name: approval
      wait_for_event: { type: order.approved, correlation: '\${input.order}' }
    - { name: ship, agent: shipper }
`);

const CHILD = definitionOf(`
workflow:
  name: parent
  steps:
    - { name: sub, workflow: kid }
`);

const NOT_STARTED: RunInput[] = [];
const STARTED: RunInput[] = [{ kind: 'start' }];
/** Task ids are handed out in order: the first record's is task-1. */

interface Row {
  name: string;
  definition: WorkflowDefinition;
  before: RunInput[];
  input: RunInput;
  effects: string[];
  outcome?: Decision['outcome'];
}

const ROWS: Row[] = [
  {
    name: 'a start dispatches the first step and arms its timeout',
    definition: TWO_STEPS,
    before: NOT_STARTED,
    input: { kind: 'start' },
    effects: [
      'dispatch classify#1',
      'timer step-timeout 5000',
      'event workflow.step.started classify',
    ],
  },
  {
    name: 'a result completes its step and dispatches the next with its output',
    definition: TWO_STEPS,
    before: STARTED,
    input: completed('task-1', { topic: 'billing' }),
    effects: [
      'release classify',
      'event workflow.step.completed classify',
      'dispatch reply#1',
      'event workflow.step.started reply',
    ],
  },
  {
    name: 'the last result completes the run with that output',
    definition: TWO_STEPS,
    before: [...STARTED, completed('task-1', { topic: 'billing' })],
    input: completed('task-2', { sent: true }),
    effects: ['release reply', 'event workflow.step.completed reply'],
    outcome: { status: 'completed', output: { sent: true } },
  },
  {
    name: 'a result for another attempt is ignored',
    definition: TWO_STEPS,
    before: STARTED,
    input: completed('task-1', {}, 2),
    effects: [],
  },
  {
    name: 'a result for a task the run does not have is ignored',
    definition: TWO_STEPS,
    before: STARTED,
    input: completed('task-99', {}),
    effects: [],
  },
  {
    name: 'a step timeout fails the step, and with no handler the run',
    definition: TWO_STEPS,
    before: STARTED,
    input: { kind: 'timer', timer: 'step-timeout', taskId: 'task-1', attempt: 1 },
    effects: ['release classify', 'event workflow.step.failed classify'],
    outcome: {
      status: 'failed',
      error: { type: 'timeout', message: expect.any(String), step: 'classify' },
    },
  },
  {
    name: 'a failure with attempts left reports the failed attempt and waits for the retry timer',
    definition: RETRIED,
    before: STARTED,
    input: failed('task-1'),
    effects: ['release fetch', 'event workflow.step.failed fetch', 'timer retry 2000'],
  },
  {
    name: 'the retry timer sends the next attempt',
    definition: RETRIED,
    before: [...STARTED, failed('task-1')],
    input: { kind: 'timer', timer: 'retry', taskId: 'task-1' },
    effects: ['dispatch fetch#2', 'event workflow.step.started fetch'],
  },
  {
    name: 'the last attempt failing fails the run',
    definition: RETRIED,
    before: [...STARTED, failed('task-1'), { kind: 'timer', timer: 'retry', taskId: 'task-1' }],
    input: failed('task-1', 2),
    effects: ['release fetch', 'event workflow.step.failed fetch'],
    outcome: { status: 'failed', error: { type: 'system_error', message: 'boom', step: 'fetch' } },
  },
  {
    name: 'a wait_for_event step waits for its event',
    definition: WAITS,
    before: NOT_STARTED,
    input: { kind: 'start' },
    effects: ['await order.approved', 'event workflow.step.waiting approval'],
  },
  {
    name: 'the awaited event completes the wait and the run goes on',
    definition: WAITS,
    before: STARTED,
    input: { kind: 'event', taskId: 'task-1', type: 'order.approved', data: { ok: true } },
    effects: [
      'release approval',
      'event workflow.step.completed approval',
      'dispatch ship#1',
      'event workflow.step.started ship',
    ],
  },
  {
    name: 'a workflow step starts a child run',
    definition: CHILD,
    before: NOT_STARTED,
    input: { kind: 'start' },
    effects: ['child kid', 'event workflow.step.started sub'],
  },
  {
    name: 'a cancel stops the running step and ends the run',
    definition: TWO_STEPS,
    before: STARTED,
    input: { kind: 'cancel', reason: 'no longer needed' },
    effects: ['release classify', 'event workflow.step.cancelled classify'],
    outcome: { status: 'cancelled', error: { type: 'cancelled', message: 'no longer needed' } },
  },
];

/** Runs `inputs` from a new run, each decision from the state the previous one left. */
async function replay(definition: WorkflowDefinition, inputs: RunInput[]) {
  let ids = 0;
  const sources = { now: () => 1_000, newId: () => `task-${++ids}`, random: () => 1 };
  let state: RunState = {
    definition,
    run: { id: 'run-1', workflow: definition.name, version: 1, input: { order: 'o-1' } },
    control: initialState(),
    records: [],
  };
  const next = async (input: RunInput): Promise<Decision> => {
    const decision = await decide(state, input, sources);
    state = decision.state;
    return decision;
  };
  for (const input of inputs) await next(input);
  return next;
}

function short(effect: Effect, keyOf: (taskId: string) => string): string {
  switch (effect.kind) {
    case 'dispatch':
      return `dispatch ${effect.key}#${effect.attempt}`;
    case 'timer':
      return `timer ${effect.timer} ${effect.delayMs}`;
    case 'await-event':
      return `await ${effect.eventType}`;
    case 'start-child':
      return `child ${effect.workflow}`;
    case 'release':
      return `release ${keyOf(effect.taskId)}`;
    case 'event':
      return `event ${effect.type} ${effect.data.step ?? ''}`.trim();
  }
}

describe('decide(state, input) → { state, effects }', () => {
  it.each(ROWS)('$name', async ({ definition, before, input, effects, outcome }) => {
    const next = await replay(definition, before);
    const decision = await next(input);
    const keyOf = (taskId: string) =>
      [...decision.state.records].find((r) => r.taskId === taskId)?.key ?? taskId;
    expect(decision.effects.map((e) => short(e, keyOf))).toEqual(effects);
    expect(decision.outcome).toEqual(outcome);
  });

  it('names the records it created or changed, and only those', async () => {
    const next = await replay(TWO_STEPS, STARTED);
    const decision = await next(completed('task-1', { topic: 'billing' }));
    expect(decision.changed.map((r) => [r.key, r.status])).toEqual([
      ['classify', 'completed'],
      ['reply', 'running'],
    ]);
    expect([...decision.state.records]).toHaveLength(2);
  });

  it('decides nothing more for a run that has ended', async () => {
    const next = await replay(TWO_STEPS, [
      ...STARTED,
      completed('task-1', {}),
      completed('task-2', {}),
    ]);
    const decision = await next(completed('task-2', {}));
    expect(decision.effects).toEqual([]);
    expect(decision.outcome).toBeUndefined();
  });
});
