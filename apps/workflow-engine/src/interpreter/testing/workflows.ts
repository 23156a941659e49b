/** Helpers shared by the interpreter's specs (not used by the engine). */
import { parseWorkflowYaml, type WorkflowDefinition } from '@baton/workflow-dsl';
import { dryRun, type DryRunResult, type MockSpec } from '../dry-run';
import type { RunInput } from '../effects';
import type { StepError } from '../state';

/** A workflow from YAML; a document with problems fails the spec that wrote it. */
export function definitionOf(yaml: string): WorkflowDefinition {
  const result = parseWorkflowYaml(yaml);
  if (!result.definition) throw new Error(JSON.stringify(result.problems));
  return result.definition;
}

/** A dry run of `yaml`, its state passed through JSON between decisions as the engine stores it. */
export function dryRunOf(
  yaml: string,
  mocks: Record<string, MockSpec> = {},
  input: unknown = {},
  workflows: Record<string, string> = {},
): Promise<DryRunResult> {
  return dryRun({
    definition: definitionOf(yaml),
    input,
    mocks,
    persist: true,
    loadWorkflow: async (name) => (workflows[name] ? definitionOf(workflows[name]) : undefined),
  });
}

/** Each step's status by its key. */
export const statuses = (result: DryRunResult): Record<string, string> =>
  Object.fromEntries(result.steps.map((s) => [s.key, s.status]));

/** A task's successful answer to its attempt (the first unless said), as the engine hands it over. */
export const completed = (taskId: string, output: unknown, attempt = 1): RunInput => ({
  kind: 'task-result',
  taskId,
  attempt,
  status: 'completed',
  output,
});

/** A task's failed answer to its attempt (the first unless said); by default a system error. */
export const failed = (
  taskId: string,
  attempt = 1,
  error: StepError = { type: 'system_error', message: 'boom' },
): RunInput => ({ kind: 'task-result', taskId, attempt, status: 'failed', error });
