/**
 * What an expression can read. Built once per evaluation by the engine:
 *
 *   {
 *     input, trigger, workflow: { run_id, name, version },
 *     item, index,                       // loop variables, inside a foreach
 *     'classify-inquiry': { ...output fields, output, status },
 *   }
 *
 * A step's output fields are spread at the top of its entry so that the seed's
 * `${route-to-specialist.specialist}` reads the `specialist` field, while
 * `${classify-inquiry.output}` is the whole output and `.status` its status.
 */
export interface ExpressionScope {
  readonly [name: string]: unknown;
}

export interface WorkflowRunInfo {
  readonly run_id: string;
  readonly name: string;
  readonly version?: string | number;
}

export interface StepResult {
  /** e.g. `completed`, `failed`, `skipped`. */
  readonly status: string;
  readonly output?: unknown;
}

export interface ScopeSources {
  readonly input: unknown;
  readonly trigger?: unknown;
  readonly workflow: WorkflowRunInfo;
  /** Results of the steps that have run, by step name. */
  readonly steps?: Readonly<Record<string, StepResult>>;
  /** Loop variables (`item` or the `as` name, and `index`); they shadow steps of the same name. */
  readonly locals?: Readonly<Record<string, unknown>>;
}

export function stepScopeEntry(result: StepResult): Record<string, unknown> {
  const { output, status } = result;
  const fields =
    output !== null && typeof output === 'object' && !Array.isArray(output)
      ? (output as Record<string, unknown>)
      : {};
  // `output` and `status` come last so an output field of the same name cannot hide them.
  return { ...fields, output, status };
}

export function buildExpressionScope(sources: ScopeSources): ExpressionScope {
  const scope: Record<string, unknown> = {};
  for (const [name, result] of Object.entries(sources.steps ?? {})) {
    scope[name] = stepScopeEntry(result);
  }
  scope.input = sources.input;
  scope.trigger = sources.trigger;
  scope.workflow = sources.workflow;
  return Object.assign(scope, sources.locals ?? {});
}

/** A scope for one foreach iteration, layered over the enclosing one. */
export function withLocals(
  scope: ExpressionScope,
  locals: Readonly<Record<string, unknown>>,
): ExpressionScope {
  return { ...scope, ...locals };
}
