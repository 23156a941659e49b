import { DslCodes } from '../errors/dsl.errors';
import { doc, only, STEP } from '../testing/problem.helpers';
import { parseWorkflowYaml } from '../parser/workflow.parser';

describe('expressions', () => {
  it('points at the position inside the expression, in plain and quoted scalars', () => {
    const problems = parseWorkflowYaml(
      doc(
        'workflow:',
        '  name: x',
        ...STEP,
        '      input: ${input.a = }',
        '      when: "${input.x} = = 1"',
      ),
    ).problems;
    expect(problems.map((p) => [p.code, p.path, p.line, p.column])).toEqual([
      [DslCodes.exprParse, 'workflow.steps[0].input', 6, 26],
      [DslCodes.exprParse, 'workflow.steps[0].when', 7, 27],
    ]);
    expect(problems[0].message).toContain('"input.a = "');
  });

  it('reports an unterminated ${ at its start', () => {
    expect(
      only(doc('workflow:', '  name: x', ...STEP, '      input: "x ${input.a"')),
    ).toMatchObject({
      code: DslCodes.exprParse,
      line: 6,
      column: 17,
    });
  });

  it('reports unknown references at the name, with a suggestion', () => {
    const problem = only(
      doc(
        'workflow:',
        '  name: x',
        '  steps:',
        '    - name: classify',
        '      agent: b',
        '    - name: c',
        '      agent: b',
        '      input:',
        '        text: "Hello ${clasify.name}"',
      ),
    );
    expect(problem).toMatchObject({
      code: DslCodes.unknownStep,
      path: 'workflow.steps[1].input.text',
      line: 9,
      column: 24,
    });
    expect(problem.message).toContain('did you mean "classify"?');
  });

  it('points into block scalars too', () => {
    const problem = only(
      doc(
        'workflow:',
        '  name: x',
        ...STEP,
        '      when: >-',
        '        input.a = 1 and',
        '        nope.b = 2',
      ),
    );
    expect(problem).toMatchObject({ code: DslCodes.unknownStep, line: 8, column: 9 });
  });
});

describe('YAML features', () => {
  it('accepts anchors, aliases and merge keys', () => {
    const result = parseWorkflowYaml(
      doc(
        'workflow:',
        '  name: x',
        '  steps:',
        '    - name: a',
        '      agent: b',
        '      retry: &patient { max_attempts: 4, backoff: fixed }',
        '    - name: c',
        '      agent: b',
        '      retry:',
        '        <<: *patient',
        '        initial_delay: 2s',
      ),
    );
    expect(result.problems).toEqual([]);
    expect(result.definition?.steps[1].retry).toMatchObject({
      maxAttempts: 4,
      backoff: 'fixed',
      initialDelayMs: 2_000,
    });
  });

  it('refuses documents whose aliases expand without bound', () => {
    const list = (name: string, item: string): string =>
      `    ${name}: &${name} [${Array(10).fill(item).join(', ')}]`;
    const result = parseWorkflowYaml(
      doc(
        'workflow:',
        '  name: x',
        ...STEP,
        '  output:',
        list('l0', '1'),
        list('l1', '*l0'),
        list('l2', '*l1'),
        list('l3', '*l2'),
      ),
    );
    expect(result.definition).toBeUndefined();
    // A document limit (422), not a syntax error (400): the YAML itself is well formed.
    expect(result.problems[0].code).toBe(DslCodes.documentTooComplex);
  });
});
