import type { Problem } from '../model/problem.types';
import { parseWorkflowYaml } from '../parser/workflow.parser';

/** Lines joined with newlines, so that line numbers in a test read off the array index + 1. */
export const doc = (...lines: string[]): string => `${lines.join('\n')}\n`;

/** [severity, code, path, line, column] of every problem, in order. */
export function summary(text: string): [string, string, string, number?, number?][] {
  return parseWorkflowYaml(text).problems.map((p: Problem) => [
    p.severity,
    p.code,
    p.path,
    p.line,
    p.column,
  ]);
}

export function only(text: string): Problem {
  const { problems, definition } = parseWorkflowYaml(text);
  expect(problems).toHaveLength(1);
  if (problems[0].severity === 'error') expect(definition).toBeUndefined();
  return problems[0];
}

export const STEP = ['  steps:', '    - name: a', '      agent: b'];
