import { DslCodes } from '../errors/dsl.errors';
import { doc, only, STEP, summary } from '../testing/problem.helpers';
import { parseWorkflowYaml } from './workflow.parser';

describe('YAML syntax', () => {
  it('reports invalid YAML with the line and column from the YAML parser', () => {
    const problems = parseWorkflowYaml(
      doc('workflow:', '  name: x', '  steps: [', '    - name: a'),
    ).problems;
    expect(problems[0]).toMatchObject({
      severity: 'error',
      code: DslCodes.invalidYaml,
      line: 4,
      column: 5,
    });
    expect(problems[0].message).toContain('BLOCK_IN_FLOW');
  });

  it('explains unquoted expressions inside a flow mapping', () => {
    const problems = parseWorkflowYaml(
      doc('workflow:', '  name: x', ...STEP, '      output: { category: ${a.category} }'),
    ).problems;
    expect(problems[0]).toMatchObject({ code: DslCodes.invalidYaml, line: 6, column: 28 });
    expect(problems[0].message).toContain('put expressions in quotes');
  });

  it('rejects duplicate keys', () => {
    expect(only(doc('workflow:', '  name: x', '  name: y', ...STEP))).toMatchObject({
      code: DslCodes.invalidYaml,
      line: 3,
      column: 3,
    });
  });
});

describe('structure', () => {
  it('reports missing fields at the enclosing mapping', () => {
    expect(summary(doc('workflow:', '  description: nothing'))).toEqual([
      ['error', DslCodes.missingField, 'workflow.name', 2, 3],
      ['error', DslCodes.missingField, 'workflow.steps', 2, 3],
    ]);
  });

  it('warns about unknown keys at the key, naming the kind a key belongs to', () => {
    const problems = parseWorkflowYaml(
      doc('workflow:', '  name: x', ...STEP, '      connection: crm', '      colour: red'),
    ).problems;
    expect(problems.map((p) => [p.severity, p.code, p.path, p.line, p.column])).toEqual([
      ['warning', DslCodes.unknownKey, 'workflow.steps[0].connection', 6, 7],
      ['warning', DslCodes.unknownKey, 'workflow.steps[0].colour', 7, 7],
    ]);
    expect(problems[0].message).toContain('applies to action steps');
  });

  it('rejects names that are not lowercase-and-dashes', () => {
    expect(only(doc('workflow:', '  name: Bad_Name', ...STEP))).toMatchObject({
      code: DslCodes.invalidName,
      path: 'workflow.name',
      line: 2,
      column: 9,
    });
  });

  it('needs exactly one kind per step', () => {
    expect(
      summary(
        doc(
          'workflow:',
          '  name: x',
          '  steps:',
          '    - name: a',
          '      timeout: 5s',
          '    - name: b',
          '      agent: c',
          '      workflow: d',
        ),
      ),
    ).toEqual([
      ['error', DslCodes.stepKind, 'workflow.steps[0]', 4, 7],
      ['error', DslCodes.stepKind, 'workflow.steps[1].workflow', 8, 7],
    ]);
  });

  it('reports bad durations, and warns when a bare number is probably seconds', () => {
    expect(
      summary(doc('workflow:', '  name: x', '  timeout: 5x', ...STEP, '      timeout: 30')),
    ).toEqual([
      ['error', DslCodes.badDuration, 'workflow.timeout', 3, 12],
      ['warning', DslCodes.suspiciousDuration, 'workflow.steps[0].timeout', 7, 16],
    ]);
  });

  it('reports bad retry policy values, each once', () => {
    expect(
      summary(
        doc(
          'workflow:',
          '  name: x',
          '  retry_policy:',
          '    max_attempts: 2.5',
          '    initial_delay: 10s',
          '    max_delay: 5s',
          '    jitter: maybe',
          '    retry_on: [timeout, Bad]',
          ...STEP,
          '      retry: { backoff: quadratic }',
        ),
      ),
    ).toEqual([
      ['error', DslCodes.badRetryPolicy, 'workflow.retry_policy.max_attempts', 4, 19],
      ['error', DslCodes.badRetryPolicy, 'workflow.retry_policy.max_delay', 6, 16],
      ['error', DslCodes.invalidType, 'workflow.retry_policy.jitter', 7, 13],
      ['error', DslCodes.badRetryPolicy, 'workflow.retry_policy.retry_on[1]', 8, 25],
      ['error', DslCodes.badRetryPolicy, 'workflow.steps[0].retry.backoff', 12, 25],
    ]);
  });

  it('checks switch cases', () => {
    expect(
      summary(
        doc(
          'workflow:',
          '  name: x',
          '  steps:',
          '    - name: s',
          '      switch:',
          '        - when: ${input.a}',
          '          goto: t',
          '          steps: []',
          '        - default: true',
          '          when: x',
          '          goto: t',
          '        - goto: t',
          '    - name: t',
          '      agent: b',
        ),
      ),
    ).toEqual([
      ['error', DslCodes.invalidValue, 'workflow.steps[0].switch[0]', 6, 11],
      ['error', DslCodes.invalidValue, 'workflow.steps[0].switch[1].when', 10, 17],
      ['error', DslCodes.missingField, 'workflow.steps[0].switch[2].when', 12, 11],
    ]);
  });

  it('checks foreach and parallel blocks', () => {
    expect(
      summary(
        doc(
          'workflow:',
          '  name: x',
          '  steps:',
          '    - name: l',
          '      foreach:',
          '        items: ${input.a}',
          '        as: index',
          '        concurrency: 0',
          '        steps: [{ name: t, agent: b }]',
          '    - name: p',
          '      parallel:',
          '        join: some',
          '        branches: []',
        ),
      ),
    ).toEqual([
      ['error', DslCodes.invalidName, 'workflow.steps[0].foreach.as', 7, 13],
      ['error', DslCodes.invalidValue, 'workflow.steps[0].foreach.concurrency', 8, 22],
      ['error', DslCodes.invalidValue, 'workflow.steps[1].parallel.join', 12, 15],
      ['error', DslCodes.invalidValue, 'workflow.steps[1].parallel.branches', 13, 19],
    ]);
  });
});
