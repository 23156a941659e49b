import {
  buildExpressionScope,
  evaluateCondition,
  evaluateTemplate,
  type ActionStep,
  type AgentStep,
  type StepResult,
  type WorkflowDefinition,
} from '@baton/workflow-dsl';

/** What the engine knows of a run when it decides what comes next. */
export interface RunSnapshot {
  runId: string;
  workflow: string;
  workflowVersion: number;
  input: unknown;
  trigger?: unknown;
  /** Results of the steps that have finished, by name. */
  steps: Record<string, StepResult>;
}

export interface StepFailure {
  type: 'timeout' | 'validation_error' | 'system_error';
  message: string;
  step?: string;
}

export type NextMove =
  | {
      kind: 'dispatch';
      index: number;
      step: AgentStep | ActionStep;
      target: string;
      input: unknown;
    }
  | { kind: 'complete'; output: unknown }
  | { kind: 'fail'; error: StepFailure };

export interface Plan {
  /** Steps whose `when` was false, in order. */
  skipped: { index: number; name: string }[];
  move: NextMove;
}

/**
 * Decides the next move of a sequential run from `fromIndex` on. Pure: no
 * database, no Kafka; expression errors become a system_error naming the step
 * and the expression, never an exception.
 */
export async function planFrom(
  definition: WorkflowDefinition,
  run: RunSnapshot,
  fromIndex: number,
): Promise<Plan> {
  const skipped: Plan['skipped'] = [];
  const steps = { ...run.steps };
  for (let index = fromIndex; index < definition.steps.length; index++) {
    const step = definition.steps[index];
    const scope = buildExpressionScope({
      input: run.input,
      trigger: run.trigger,
      workflow: { run_id: run.runId, name: run.workflow, version: run.workflowVersion },
      steps,
    });
    try {
      if (step.when !== undefined && !(await evaluateCondition(step.when, scope))) {
        skipped.push({ index, name: step.name });
        steps[step.name] = { status: 'skipped' };
        continue;
      }
      if (step.kind !== 'agent' && step.kind !== 'action') {
        return fail(
          'system_error',
          `step kind '${step.kind}' is not supported by this engine version`,
          step.name,
        );
      }
      const input =
        step.input === undefined ? run.input : await evaluateTemplate(step.input, scope);
      const target = step.kind === 'agent' ? await resolveAgent(step, scope) : step.action;
      if (!target)
        return fail('system_error', `step '${step.name}' resolved to no agent`, step.name);
      return { skipped, move: { kind: 'dispatch', index, step, target, input } };
    } catch (error) {
      return { skipped, move: { kind: 'fail', error: expressionFailure(step.name, error) } };
    }
  }
  return { skipped, move: { kind: 'complete', output: await finalOutput(definition, run, steps) } };

  function fail(type: StepFailure['type'], message: string, step: string): Plan {
    return { skipped, move: { kind: 'fail', error: { type, message, step } } };
  }
}

async function resolveAgent(
  step: AgentStep,
  scope: Record<string, unknown>,
): Promise<string | undefined> {
  if (step.agent.kind === 'static') return step.agent.name;
  const value = await evaluateTemplate(step.agent.template, scope);
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

async function finalOutput(
  definition: WorkflowDefinition,
  run: RunSnapshot,
  steps: Record<string, StepResult>,
): Promise<unknown> {
  if (definition.output !== undefined) {
    const scope = buildExpressionScope({
      input: run.input,
      trigger: run.trigger,
      workflow: { run_id: run.runId, name: run.workflow, version: run.workflowVersion },
      steps,
    });
    return evaluateTemplate(definition.output, scope);
  }
  // Without an explicit output, a run answers with its last completed step's output.
  for (let i = definition.steps.length - 1; i >= 0; i--) {
    const result = steps[definition.steps[i].name];
    if (result?.status === 'completed') return result.output ?? null;
  }
  return null;
}

function expressionFailure(step: string, error: unknown): StepFailure {
  return { type: 'system_error', message: `step '${step}': ${(error as Error).message}`, step };
}
