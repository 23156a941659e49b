/**
 * @baton/workflow-dsl: the Baton workflow language as plain TypeScript:
 * parsing and validation, expressions, durations and retry backoff.
 */
export * from './errors/dsl.errors';
export * from './model/workflow.types';
export * from './model/problem.types';
export { parseDuration, formatDuration } from './duration/duration.parser';
export {
  DEFAULT_RETRY_POLICY,
  computeRetryDelay,
  shouldRetry,
  isRetryableError,
  mergeRetryPolicy,
} from './retry/retry-policy';
export { parseWorkflowYaml, parseWorkflowDefinition } from './parser/workflow.parser';
export { validateWorkflow } from './validation/workflow.validator';
export { walkSteps, findStep } from './validation/step.walker';
export {
  compileExpression,
  type CompiledExpression,
  type RootReference,
  type HyphenChain,
} from './expressions/expression.compiler';
export {
  evaluateTemplate,
  evaluateCondition,
  referencedSteps,
  isTruthy,
} from './expressions/template.evaluator';
export {
  buildExpressionScope,
  stepScopeEntry,
  withLocals,
  type ExpressionScope,
  type ScopeSources,
  type StepResult,
  type WorkflowRunInfo,
} from './expressions/expression-scope';
export { documentIdentity } from './document/document-identity';
