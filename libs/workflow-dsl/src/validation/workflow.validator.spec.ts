import { DslCodes } from '../errors/dsl.errors';
import type { Problem } from '../model/problem.types';
import type { WorkflowDefinition } from '../model/workflow.types';
import { parseWorkflowDefinition, parseWorkflowYaml } from '../parser/workflow.parser';
import { DEFAULT_RETRY_POLICY } from '../retry/retry-policy';
import { SEED_WORKFLOW_YAML } from '../testing/workflow.fixtures';
import { findStep, walkSteps } from './step.walker';
import { validateWorkflow } from './workflow.validator';

/** Parses the JSON form (inner object, so paths start at `steps`). */
function problemsOf(steps: unknown[], extra: Record<string, unknown> = {}): Problem[] {
  return parseWorkflowDefinition({ name: 'w', ...extra, steps }).problems;
}

const codes = (problems: Problem[]): [string, string][] => problems.map((p) => [p.code, p.path]);

/** Without YAML positions, problems come in the order the checks run; compare as sets. */
const sorted = <T>(items: T[]): T[] => [...items].sort((a, b) => (String(a) < String(b) ? -1 : 1));

const agent = (name: string, more: Record<string, unknown> = {}) => ({ name, agent: 'a', ...more });
const goto = (name: string, target: string, when = '${input.x}') => ({
  name,
  switch: [{ when, goto: target }],
});

describe('jump cycles', () => {
  it('reports an on_error cycle with its route', () => {
    const problems = problemsOf([agent('a', { on_error: 'b' }), agent('b', { on_error: 'a' })]);
    expect(codes(problems)).toEqual([[DslCodes.jumpCycle, 'steps[0].on_error']]);
    expect(problems[0].message).toContain('a → b → a');
  });

  it('reports a step that is its own error handler', () => {
    expect(codes(problemsOf([agent('a', { on_error: 'a' })]))).toEqual([
      [DslCodes.jumpCycle, 'steps[0].on_error'],
    ]);
  });

  it('reports goto cycles, including a switch jumping to itself', () => {
    const twoSwitches = problemsOf([goto('s1', 's2'), goto('s2', 's1'), agent('end')]);
    expect(codes(twoSwitches)).toEqual([[DslCodes.jumpCycle, 'steps[0].switch[0].goto']]);
    expect(twoSwitches[0].message).toContain('s1 → s2 → s1 (goto, goto)');
    expect(codes(problemsOf([goto('self', 'self')]))).toEqual([
      [DslCodes.jumpCycle, 'steps[0].switch[0].goto'],
    ]);
  });

  it('reports cycles mixing goto and on_error, once per cycle', () => {
    const problems = problemsOf([
      agent('work', { on_error: 'decide' }),
      goto('decide', 'work'),
      agent('x', { on_error: 'y' }),
      agent('y', { on_error: 'x' }),
    ]);
    expect(codes(problems)).toEqual([
      [DslCodes.jumpCycle, 'steps[0].on_error'],
      [DslCodes.jumpCycle, 'steps[2].on_error'],
    ]);
    expect(problems[0].message).toContain('work → decide → work (on_error, goto)');
  });

  it('accepts a loop where work runs between jumps (a goto back to an earlier step)', () => {
    expect(
      problemsOf([agent('draft'), agent('review'), goto('again', 'draft', 'review.ok = false')]),
    ).toEqual([]);
  });
});

describe('jump targets', () => {
  it('reports goto and on_error targets that are not steps', () => {
    const problems = problemsOf([agent('a', { on_error: 'nope' }), goto('s', 'missing')]);
    expect(codes(problems)).toEqual([
      [DslCodes.unknownStep, 'steps[0].on_error'],
      [DslCodes.unknownStep, 'steps[1].switch[0].goto'],
    ]);
  });

  it('allows jumps to the same or an enclosing list, not into a branch or out of a parallel', () => {
    const problems = problemsOf([
      agent('top'),
      {
        name: 's',
        switch: [
          { when: '${input.a}', steps: [agent('inside-a'), goto('back-out', 'top')] },
          { default: true, goto: 'inside-a' },
        ],
      },
      {
        name: 'p',
        parallel: { branches: [{ steps: [agent('branch-step', { on_error: 'top' })] }] },
      },
    ]);
    expect(codes(problems)).toEqual([
      [DslCodes.invalidJump, 'steps[1].switch[1].goto'],
      [DslCodes.invalidJump, 'steps[2].parallel.branches[0].steps[0].on_error'],
    ]);
  });
});

describe('references', () => {
  it('reports names that are not steps, roots or loop variables in scope', () => {
    const problems = problemsOf(
      [
        agent('first', {
          input: { a: '${input.x}', b: '${trigger.subject}', c: '${workflow.run_id}' },
        }),
        agent('second', { input: '${frist.output}', when: 'ghost.ready' }),
        {
          name: 'loop',
          foreach: {
            items: '${item.list}',
            as: 'order',
            steps: [agent('each', { input: { o: '${order.id}', i: '${index}', f: '${first.x}' } })],
          },
        },
        agent('after', { input: '${order}' }),
        { name: 'wait', wait_for_event: { type: 'x.y', correlation: '${nobody}' } },
      ],
      { output: '${missing.result}' },
    );
    expect(sorted(codes(problems))).toEqual(
      sorted([
        [DslCodes.unknownStep, 'steps[1].input'],
        [DslCodes.unknownStep, 'steps[1].when'],
        [DslCodes.unknownStep, 'steps[2].foreach.items'],
        [DslCodes.unknownStep, 'steps[3].input'],
        [DslCodes.unknownStep, 'steps[4].wait_for_event.correlation'],
        [DslCodes.unknownStep, 'output'],
      ]),
    );
    const typo = problems.find((p) => p.path === 'steps[1].input');
    expect(typo?.message).toContain('did you mean "first"?');
  });

  it('explains a hyphenated step name used without backticks in JSONata', () => {
    const problems = problemsOf([
      agent('classify-inquiry'),
      agent('next', { when: 'classify-inquiry.category = "billing"' }),
    ]);
    expect(codes(problems)).toEqual([[DslCodes.hyphenatedName, 'steps[1].when']]);
    expect(problems[0].message).toContain('`classify-inquiry`');
  });

  it('warns when a step reads its own result before running, but not in its output mapping', () => {
    const problems = problemsOf([
      agent('self', { input: '${self.x}', output: { category: '${self.category}' } }),
    ]);
    expect(problems).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: DslCodes.selfReference,
        path: 'steps[0].input',
      }),
    ]);
  });

  it('does not repeat errors about steps too broken to build', () => {
    const problems = problemsOf([
      { name: 'broken' },
      agent('uses', { input: '${broken.x}', on_error: 'broken' }),
    ]);
    expect(codes(problems)).toEqual([[DslCodes.stepKind, 'steps[0]']]);
  });
});

describe('names and context', () => {
  it('rejects duplicate step names anywhere in the tree, and reserved names', () => {
    const problems = problemsOf([
      agent('a'),
      { name: 'p', parallel: { branches: [{ steps: [agent('a')] }] } },
      agent('input'),
      agent('escalate'),
    ]);
    expect(codes(problems)).toEqual([
      [DslCodes.duplicateStep, 'steps[1].parallel.branches[0].steps[0].name'],
      [DslCodes.reservedName, 'steps[2].name'],
      [DslCodes.reservedName, 'steps[3].name'],
    ]);
  });

  it('warns about unknown agents and workflows only when the context lists them', () => {
    const def = parseWorkflowDefinition({
      name: 'w',
      error_handlers: { default: 'workflow:ghost-flow' },
      steps: [
        agent('a'),
        { name: 'child', workflow: 'other' },
        agent('dyn', { agent: '${a.next}' }),
      ],
    }).definition!;
    expect(validateWorkflow(def)).toEqual([]);
    const problems = validateWorkflow(def, {
      knownAgents: new Set(['b']),
      knownWorkflows: new Set(['w']),
    });
    expect(sorted(problems.map((p) => [p.severity, p.code, p.path]))).toEqual(
      sorted([
        ['warning', DslCodes.unknownAgent, 'steps[0].agent'],
        ['warning', DslCodes.unknownWorkflow, 'steps[1].workflow'],
        ['warning', DslCodes.unknownWorkflow, 'error_handlers.default'],
      ]),
    );
  });

  it('warns when a loop variable hides a step', () => {
    const problems = problemsOf([
      agent('order'),
      {
        name: 'loop',
        foreach: { items: [1], as: 'order', steps: [agent('each', { input: '${order}' })] },
      },
    ]);
    expect(codes(problems)).toEqual([[DslCodes.shadowedName, 'steps[1].foreach']]);
  });
});

describe('validateWorkflow', () => {
  it('keeps YAML positions for a definition parsed in this process', () => {
    const def = parseWorkflowYaml(SEED_WORKFLOW_YAML).definition!;
    expect(validateWorkflow(def, { knownAgents: new Set() })).toEqual([
      expect.objectContaining({ code: DslCodes.unknownAgent, line: 6, column: 14 }),
      expect.objectContaining({ code: DslCodes.unknownAgent, line: 10, column: 14 }),
    ]);
  });

  it('checks a hand-built definition, naming paths under workflow', () => {
    const def: WorkflowDefinition = {
      name: 'hand-made',
      trigger: { kind: 'http' },
      retryPolicy: DEFAULT_RETRY_POLICY,
      errorHandlers: {},
      steps: [
        {
          kind: 'agent',
          name: 'a',
          path: 'workflow.steps[0]',
          retry: DEFAULT_RETRY_POLICY,
          agent: { kind: 'static', name: 'x' },
          input: '${b.output}',
        },
      ],
    };
    expect(validateWorkflow(def)).toEqual([
      expect.objectContaining({ code: DslCodes.unknownStep, path: 'workflow.steps[0].input' }),
    ]);
    expect(validateWorkflow(def)[0].line).toBeUndefined();
  });

  it('walks and finds nested steps', () => {
    const def = parseWorkflowDefinition({
      name: 'w',
      steps: [{ name: 'p', parallel: { branches: [{ steps: [agent('deep')] }] } }],
    }).definition!;
    const seen: string[] = [];
    walkSteps(def, (step, ancestors) =>
      seen.push(`${ancestors.map((a) => a.name).join('/')}:${step.name}`),
    );
    expect(seen).toEqual([':p', 'p:deep']);
    expect(findStep(def, 'deep')?.path).toBe('steps[0].parallel.branches[0].steps[0]');
  });
});
