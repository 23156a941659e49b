import { DslCodes } from '../errors/dsl.errors';
import type { Problem, ValidationContext } from '../model/problem.types';
import {
  BUILTIN_HANDLERS,
  LOOP_INDEX_NAME,
  SCOPE_ROOTS,
  type Step,
  type WorkflowDefinition,
} from '../model/workflow.types';
import { metaOf } from '../source/definition-meta';
import { ProblemCollector, sortProblems } from '../source/problem.collector';
import { childPath } from '../util/doc-path';
import { ExpressionChecker, type ExpressionSite } from './expression.checker';
import { checkJumps } from './jump.checker';
import { collectSteps, type StepVisit } from './step.walker';

/** Names a step may not take: they are scope roots or built-in error handlers. */
const RESERVED_STEP_NAMES: readonly string[] = [...SCOPE_ROOTS, ...BUILTIN_HANDLERS];

export interface CheckHints {
  /** Step names seen while parsing, including steps too broken to appear in the definition. */
  readonly declaredNames?: ReadonlySet<string>;
}

/**
 * Semantic checks on a definition: names, jump targets and cycles, expressions
 * and the names they read, and (when the context knows them) agents and
 * workflows. Positions are included when the definition was parsed from YAML
 * in this process.
 */
export function validateWorkflow(
  definition: WorkflowDefinition,
  context: ValidationContext = {},
): Problem[] {
  return checkWorkflow(definition, context, {});
}

export function checkWorkflow(
  definition: WorkflowDefinition,
  context: ValidationContext,
  hints: CheckHints,
): Problem[] {
  const meta = metaOf(definition);
  const problems = new ProblemCollector(meta.index);
  const tree = collectSteps(definition);

  const byName = new Map<string, StepVisit>();
  for (const visit of tree.visits) checkName(visit, byName, problems);

  const stepNames = new Set([...byName.keys(), ...(hints.declaredNames ?? [])]);
  const brokenNames = new Set([...stepNames].filter((name) => !byName.has(name)));
  checkJumps({ definition, tree, byName, brokenNames, rootPath: meta.rootPath, context, problems });

  const expressions = new ExpressionChecker(problems, stepNames);
  for (const visit of tree.visits) {
    checkStepExpressions(visit, expressions);
    checkStepContext(visit, context, stepNames, problems);
  }
  if (definition.output !== undefined) {
    expressions.template(definition.output, childPath(meta.rootPath, 'output'), {
      loopVariables: [],
    });
  }
  return sortProblems(problems.problems);
}

function checkName(
  visit: StepVisit,
  byName: Map<string, StepVisit>,
  problems: ProblemCollector,
): void {
  const { step } = visit;
  const at = childPath(step.path, 'name');
  if (RESERVED_STEP_NAMES.includes(step.name)) {
    problems.error(
      DslCodes.reservedName,
      `"${step.name}" is reserved (${RESERVED_STEP_NAMES.join(', ')}); choose another step name`,
      at,
    );
  }
  const first = byName.get(step.name);
  if (first) {
    problems.error(
      DslCodes.duplicateStep,
      `step name "${step.name}" is already used at ${first.step.path}; step names are unique in a workflow`,
      at,
    );
  } else {
    byName.set(step.name, visit);
  }
}

function checkStepExpressions(visit: StepVisit, checker: ExpressionChecker): void {
  const { step } = visit;
  const before: ExpressionSite = { loopVariables: visit.loopVariables, notYetRun: step.name };
  const after: ExpressionSite = { loopVariables: visit.loopVariables };
  if (step.when !== undefined) checker.condition(step.when, childPath(step.path, 'when'), before);
  if (step.output !== undefined)
    checker.template(step.output, childPath(step.path, 'output'), after);
  switch (step.kind) {
    case 'agent':
    case 'workflow': {
      const ref = step.kind === 'agent' ? step.agent : step.workflow;
      if (ref.kind === 'template')
        checker.template(ref.template, childPath(step.path, step.kind), before);
      if (step.input !== undefined)
        checker.template(step.input, childPath(step.path, 'input'), before);
      break;
    }
    case 'action':
      if (step.input !== undefined)
        checker.template(step.input, childPath(step.path, 'input'), before);
      break;
    case 'switch':
      for (const c of step.cases) checker.condition(c.when, childPath(c.path, 'when'), before);
      break;
    case 'foreach':
      checker.template(step.items, childPath(childPath(step.path, 'foreach'), 'items'), before);
      break;
    case 'wait_for_event':
      if (step.correlation !== undefined) {
        const at = childPath(childPath(step.path, 'wait_for_event'), 'correlation');
        checker.template(step.correlation, at, before);
      }
      break;
    case 'parallel':
      break;
  }
}

function checkStepContext(
  visit: StepVisit,
  context: ValidationContext,
  stepNames: ReadonlySet<string>,
  problems: ProblemCollector,
): void {
  const { step } = visit;
  if (step.kind === 'agent' && step.agent.kind === 'static' && context.knownAgents) {
    if (step.agent.name && !context.knownAgents.has(step.agent.name)) {
      problems.warning(
        DslCodes.unknownAgent,
        `agent "${step.agent.name}" is not registered`,
        childPath(step.path, 'agent'),
      );
    }
  }
  if (step.kind === 'workflow' && step.workflow.kind === 'static' && context.knownWorkflows) {
    if (step.workflow.name && !context.knownWorkflows.has(step.workflow.name)) {
      problems.warning(
        DslCodes.unknownWorkflow,
        `workflow "${step.workflow.name}" is not registered`,
        childPath(step.path, 'workflow'),
      );
    }
  }
  if (step.kind === 'foreach') checkLoopNames(step, visit, stepNames, problems);
}

function checkLoopNames(
  step: Extract<Step, { kind: 'foreach' }>,
  visit: StepVisit,
  stepNames: ReadonlySet<string>,
  problems: ProblemCollector,
): void {
  for (const name of [step.as, LOOP_INDEX_NAME]) {
    const hides = stepNames.has(name)
      ? `step "${name}"`
      : visit.loopVariables.includes(name) && name !== LOOP_INDEX_NAME
        ? `the enclosing loop's "${name}"`
        : undefined;
    if (!hides) continue;
    problems.warning(
      DslCodes.shadowedName,
      `inside this foreach, "${name}" is the loop variable and hides ${hides}`,
      childPath(step.path, 'foreach'),
    );
  }
}
