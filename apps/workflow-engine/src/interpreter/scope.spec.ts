import { parseWorkflowYaml, type WorkflowDefinition } from '@baton/workflow-dsl';
import { createContext } from './planner';
import { scopeFor } from './scope';
import { initialState, legacyState, type StepRecord } from './state';

const definition = parseWorkflowYaml(`
workflow:
  name: scoped
  steps:
    - name: each
      foreach:
        items: [1, 2]
        as: order
        steps: [{ name: charge, agent: x }]
`).definition as WorkflowDefinition;

function record(partial: Partial<StepRecord> & Pick<StepRecord, 'key' | 'name'>): StepRecord {
  return {
    kind: 'agent',
    frame: '',
    index: 0,
    taskId: partial.key,
    status: 'completed',
    attempt: 1,
    agent: null,
    action: null,
    workflow: null,
    input: null,
    output: null,
    error: null,
    startedAt: 0,
    finishedAt: 0,
    seq: 0,
    ...partial,
  };
}

describe('scopeFor', () => {
  it("prefers the enclosing iteration's steps, binds loop variables, and shows errors", () => {
    const state = initialState();
    state.frames['each[0]'] = {
      key: 'each[0]',
      list: { step: 'each' },
      index: 1,
      parent: '',
      owner: 'each',
      slot: 0,
      locals: { order: 'first', index: 0 },
    };
    const ctx = createContext({
      definition,
      run: { id: 'r', workflow: 'scoped', version: 1, input: { a: 1 } },
      state,
      records: [
        record({
          key: 'each[0].charge',
          name: 'charge',
          frame: 'each[0]',
          output: 'mine',
          seq: 1,
          finishedAt: 1,
        }),
        record({
          key: 'each[1].charge',
          name: 'charge',
          frame: 'each[1]',
          output: 'other',
          seq: 2,
          finishedAt: 2,
        }),
        record({
          key: 'risky',
          name: 'risky',
          status: 'failed',
          error: { type: 'timeout', message: 'too slow', step: 'risky' },
          seq: 3,
          finishedAt: 3,
        }),
      ],
      newId: () => 'id',
    });
    const scope = scopeFor(ctx, 'each[0]') as Record<string, Record<string, unknown>>;
    expect(scope.charge.output).toBe('mine');
    expect(scope.order).toBe('first');
    expect(scope.index).toBe(0);
    expect(scope.risky).toMatchObject({
      status: 'failed',
      error: { type: 'timeout', message: 'too slow' },
    });
    expect((scopeFor(ctx, '') as Record<string, Record<string, unknown>>).charge.output).toBe(
      'other',
    );
  });
});

describe('legacyState', () => {
  it('resumes a sequential run started before nested execution at its running step', () => {
    const state = legacyState([
      record({ key: 'a', name: 'a', index: 0, seq: 1 }),
      record({ key: 'b', name: 'b', index: 1, seq: 2, status: 'retrying' }),
    ]);
    expect(state.frames['']).toMatchObject({ index: 1, current: 'b' });
    expect(state.seq).toBe(2);
  });
});
