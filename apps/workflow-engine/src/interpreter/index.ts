/**
 * The workflow interpreter, pure: `decide(state, input) → { state, effects }`.
 * Everything outside this folder (the engine's runs/, the dry run of
 * workflows/) goes through this file; nothing in this folder imports from
 * outside it but the libs (the DSL and its expressions). See ADR 0029.
 *
 * Inside, imports go one way, from the entry down:
 *   index → dry-run → decide → planner → steps → completion → retry → failures
 *   → dispatch, retry-point → records, scope, step-output → step-index → effects, state
 */
export { decide, retryProblem, type Decision, type DecisionSources, type RunState } from './decide';
export type { Effect, RunEventData, RunInfo, RunInput, RunOutcome, TimerKind } from './effects';
export { MAX_STEPS_PER_DECISION } from './planner';
export { ESCALATION_RESOLVED } from './records';
export { RUN_RETRIED } from './retry';
export {
  ACTIVE_STATUSES,
  FINISHED_STATUSES,
  initialState,
  legacyState,
  type ControlState,
  type StepError,
  type StepRecord,
  type StepStatus,
} from './state';
export {
  dryRun,
  type DryRunOptions,
  type DryRunRequest,
  type DryRunResult,
  type MockSpec,
  type StepMock,
  type TraceEntry,
} from './dry-run';
