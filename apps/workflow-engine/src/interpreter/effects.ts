import type { WorkflowDefinition } from '@baton/workflow-dsl';
import type { ControlState, RetryPoint, StepError, StepRecord } from './state';

/** Timer kinds the interpreter asks for; the engine keeps them in Postgres. */
export type TimerKind = 'step-timeout' | 'retry' | 'run-timeout';

/**
 * What a decision asks the outside world to do. The engine turns these into
 * outbox messages and rows in the decision's transaction; the dry run answers
 * them from the mocks.
 */
export type Effect =
  | {
      kind: 'dispatch';
      key: string;
      step: string;
      taskId: string;
      attempt: number;
      target: 'agent' | 'action';
      name: string;
      connection?: string;
      input: unknown;
      timeoutMs?: number;
    }
  | {
      kind: 'start-child';
      key: string;
      step: string;
      taskId: string;
      attempt: number;
      workflow: string;
      input: unknown;
    }
  | {
      kind: 'await-event';
      key: string;
      step: string;
      taskId: string;
      eventType: string;
      correlation: string | null;
    }
  | { kind: 'timer'; timer: TimerKind; taskId?: string; attempt?: number; delayMs: number }
  /** The step no longer waits: drop its timers and waits, and cancel its child runs. */
  | { kind: 'release'; taskId: string; children: boolean; waits: boolean }
  | { kind: 'event'; type: string; data: RunEventData };

/** Extra fields of a lifecycle event (besides the run's id, workflow, version and status). */
export interface RunEventData {
  step?: string;
  path?: string;
  attempt?: number;
  output?: unknown;
  error?: { type: string; message: string; step?: string };
  [field: string]: unknown;
}

/** Something that happened to a run; the interpreter decides what follows. */
export type RunInput =
  | { kind: 'start' }
  | {
      kind: 'task-result';
      taskId: string;
      attempt: number;
      status: 'completed' | 'failed';
      output?: unknown;
      error?: StepError;
    }
  | { kind: 'timer'; timer: TimerKind; taskId?: string; attempt?: number }
  | { kind: 'event'; taskId: string; type: string; data: unknown }
  | {
      kind: 'child-finished';
      taskId: string;
      attempt: number;
      status: 'completed' | 'failed' | 'cancelled';
      output?: unknown;
      error?: StepError | null;
    }
  | { kind: 'cancel'; reason?: string }
  | { kind: 'fail'; error: StepError }
  /** `/retry` of a failed run: its failed step runs again as a new attempt (run-retry.ts). */
  | { kind: 'retry' };

export type RunOutcome =
  | { status: 'completed'; output: unknown }
  | { status: 'failed'; error: StepError; output?: unknown }
  | { status: 'cancelled'; error?: StepError };

export interface RunInfo {
  id: string;
  workflow: string;
  version: number;
  input: unknown;
  trigger?: unknown;
}

/** Everything one decision reads and writes. Mutated in place, then persisted by the caller. */
export interface RunContext {
  readonly definition: WorkflowDefinition;
  readonly run: RunInfo;
  readonly state: ControlState;
  readonly records: Map<string, StepRecord>;
  readonly now: () => number;
  readonly newId: () => string;
  readonly random: () => number;
  readonly effects: Effect[];
  /** Keys of the records this decision created or changed. */
  readonly dirty: Set<string>;
  /** Frames to advance, processed in order (a trampoline: no deep recursion). */
  readonly queue: string[];
  outcome?: RunOutcome;
  /** The latest step failure of this decision: kept as `state.retry` if the run fails. */
  failure?: RetryPoint;
}
