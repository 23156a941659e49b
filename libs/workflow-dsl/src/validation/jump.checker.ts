import { DslCodes } from '../errors/dsl.errors';
import type { ValidationContext } from '../model/problem.types';
import type { HandlerTarget, WorkflowDefinition } from '../model/workflow.types';
import { HANDLER_TARGET_RULE } from '../model/handler-target';
import type { ProblemCollector } from '../source/problem.collector';
import { childPath } from '../util/doc-path';
import { findCycles } from './cycle.finder';
import { canJump, ROOT_LIST_ID, type StepTree, type StepVisit } from './step.walker';

export interface JumpEdge {
  readonly from: string;
  readonly to: string;
  readonly via: 'goto' | 'on_error';
  /** Where the jump is written. */
  readonly path: string;
}

export interface JumpCheckInput {
  readonly definition: WorkflowDefinition;
  readonly tree: StepTree;
  readonly byName: ReadonlyMap<string, StepVisit>;
  /** Names of steps too broken to build: references to them are not reported again. */
  readonly brokenNames: ReadonlySet<string>;
  readonly rootPath: string;
  readonly context: ValidationContext;
  readonly problems: ProblemCollector;
}

/** goto / on_error / error_handlers targets exist and are reachable; jumps form no cycle. */
export function checkJumps(input: JumpCheckInput): void {
  const { definition, tree, problems } = input;
  const edges: JumpEdge[] = [];

  for (const visit of tree.visits) {
    const { step } = visit;
    if (step.onError) {
      const path = childPath(step.path, 'on_error');
      const to = checkTarget(input, step.onError, visit, path, 'on_error');
      if (to) edges.push({ from: step.name, to, via: 'on_error', path });
    }
    if (step.kind !== 'switch') continue;
    const branches = [
      ...step.cases.map((c) => ({ branch: c.then, path: childPath(c.path, 'goto') })),
      ...(step.default
        ? [{ branch: step.default.then, path: childPath(step.default.path, 'goto') }]
        : []),
    ];
    for (const { branch, path } of branches) {
      if (branch.kind !== 'goto') continue;
      const to = checkTarget(input, { kind: 'step', step: branch.step }, visit, path, 'goto');
      if (to) edges.push({ from: step.name, to, via: 'goto', path });
    }
  }

  const handlersPath = childPath(input.rootPath, 'error_handlers');
  for (const [type, target] of Object.entries(definition.errorHandlers)) {
    checkTarget(input, target, undefined, childPath(handlersPath, type), 'error handler');
  }

  for (const cycle of findCycles(edges)) {
    const route = [...cycle.map((e) => e.from), cycle[0].from].join(' → ');
    problems.error(
      DslCodes.jumpCycle,
      `jumps form a cycle: ${route} (${cycle.map((e) => e.via).join(', ')}); the run could loop forever`,
      cycle[0].path,
    );
  }
}

/** Reports a bad target and returns the target step's name when it can be followed. */
function checkTarget(
  input: JumpCheckInput,
  target: HandlerTarget,
  from: StepVisit | undefined,
  path: string,
  what: 'goto' | 'on_error' | 'error handler',
): string | undefined {
  const { problems, context } = input;
  if (target.kind === 'builtin') return undefined;
  if (target.kind === 'workflow') {
    if (context.knownWorkflows && !context.knownWorkflows.has(target.workflow)) {
      problems.warning(
        DslCodes.unknownWorkflow,
        `${what} target workflow "${target.workflow}" is not registered`,
        path,
      );
    }
    return undefined;
  }
  const visit = input.byName.get(target.step);
  if (!visit) {
    if (input.brokenNames.has(target.step)) return undefined;
    const code = what === 'error handler' ? DslCodes.unknownHandler : DslCodes.unknownStep;
    const rule = what === 'goto' ? 'a step name' : HANDLER_TARGET_RULE;
    problems.error(
      code,
      `${what} target "${target.step}" is not a step of this workflow; use ${rule}`,
      path,
    );
    return undefined;
  }
  if (!from) {
    if (visit.listId !== ROOT_LIST_ID) {
      problems.error(
        DslCodes.invalidJump,
        `error handler step "${target.step}" must be a top-level step, not nested in "${visit.ancestors[0]?.name}"`,
        path,
      );
    }
    return undefined;
  }
  if (!canJump(input.tree, from.listId, visit.listId)) {
    problems.error(
      DslCodes.invalidJump,
      `${what} cannot reach "${target.step}": a jump may go to a step in the same list or an ` +
        'enclosing one, but not into another branch or out of a parallel branch or foreach body',
      path,
    );
    return undefined;
  }
  return target.step;
}
