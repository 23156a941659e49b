import { DslCodes } from '../errors/dsl.errors';
import { FULL_WORKFLOW_YAML, SEED_WORKFLOW_YAML } from '../testing/workflow.fixtures';
import { parseWorkflowYaml } from '../parser/workflow.parser';
import { checkYamlText, YAML_LIMITS } from './yaml-limits';

function onlyProblem(text: string) {
  const result = parseWorkflowYaml(text);
  expect(result.definition).toBeUndefined();
  expect(result.problems).toHaveLength(1);
  return result.problems[0];
}

describe('workflow documents are bounded before they are parsed', () => {
  it('accepts the shipped workflows', () => {
    expect(checkYamlText(SEED_WORKFLOW_YAML)).toBeUndefined();
    expect(checkYamlText(FULL_WORKFLOW_YAML)).toBeUndefined();
    expect(parseWorkflowYaml(FULL_WORKFLOW_YAML).definition).toBeDefined();
  });

  it('refuses a billion-laughs alias bomb, naming the alias limit', () => {
    const bomb = [
      'workflow:',
      '  name: lol',
      '  a: &a [x, x, x, x, x, x, x, x, x]',
      '  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
      '  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
      '  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
      '  e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
      '  f: [*e, *e, *e, *e, *e, *e, *e, *e, *e]',
    ].join('\n');
    const problem = onlyProblem(bomb);
    expect(problem.code).toBe(DslCodes.documentTooComplex);
    expect(problem.message).toBe('the workflow document expands more than 100 aliases');
  });

  it.each([
    ['flow', `workflow: ${'['.repeat(10_000)}${']'.repeat(10_000)}`],
    // 10,000 indented levels would pass the size limit first: 1,000 are enough to show it.
    ['block', Array.from({ length: 1_000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')],
    ['compact sequences', `workflow:\n  steps:\n    ${'- '.repeat(10_000)}x`],
  ])('refuses deep %s nesting before parsing it', (_kind, text) => {
    const problem = onlyProblem(text);
    expect(problem.code).toBe(DslCodes.documentTooComplex);
    expect(problem.message).toBe(
      `the workflow document nests deeper than ${YAML_LIMITS.maxDepth} levels`,
    );
  });

  it('does not count brackets in quotes, comments or block scalars', () => {
    const text = [
      'workflow:',
      `  description: "${'['.repeat(100)}"`,
      `  # ${'{'.repeat(100)}`,
      '  notes: |',
      ...Array.from({ length: 100 }, (_, i) => `    ${' '.repeat(i)}line ${i} [[[[`),
      '  name: ok',
    ].join('\n');
    expect(checkYamlText(text)).toBeUndefined();
  });

  it('refuses too many keys and too large a document', () => {
    const keys = `workflow:\n${Array.from({ length: 20_001 }, (_, i) => `  k${i}: 1`).join('\n')}`;
    expect(onlyProblem(keys)).toMatchObject({
      code: DslCodes.documentTooComplex,
      message: 'the workflow document has more than 20000 keys',
    });
    const large = `workflow:\n  description: ${'x'.repeat(YAML_LIMITS.maxBytes)}`;
    expect(onlyProblem(large).code).toBe(DslCodes.documentTooLarge);
  });
});

describe('duplicate keys', () => {
  it('are still reported with their position, found in linear time', () => {
    const result = parseWorkflowYaml('workflow:\n  name: a\n  name: b\n');
    expect(result.definition).toBeUndefined();
    expect(result.problems).toEqual([
      expect.objectContaining({
        code: DslCodes.invalidYaml,
        message: 'Map keys must be unique (DUPLICATE_KEY)',
        line: 3,
        column: 3,
      }),
    ]);
  });
});
