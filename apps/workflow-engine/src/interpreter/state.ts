import type { StepKind } from '@baton/workflow-dsl';

/**
 * The durable state of one run, as the interpreter sees it. Plain JSON: the
 * control part (frames and containers) is stored on the run row, the records
 * are the rows of `step_executions`. Both are written in the transaction that
 * takes a decision, so a crash either keeps a decision whole or loses it whole.
 */

export type StepStatus =
  'running' | 'retrying' | 'waiting' | 'completed' | 'failed' | 'skipped' | 'cancelled';

export type ErrorType = 'timeout' | 'validation_error' | 'system_error' | (string & {});

export interface StepError {
  type: ErrorType;
  message: string;
  /** The step the failure started at (a container's failure names the inner step). */
  step?: string;
}

/** What a failed step was handed to: a parked step is `waiting` until its handler answers. */
export type ParkedBy = { kind: 'escalate' } | { kind: 'workflow'; workflow: string };

/**
 * One execution of one step. `key` names the position: `classify`,
 * `route.handle-billing` (inside a switch), `fan-out[1].fetch-b` (branch 1 of a
 * parallel), `each[3].charge` (iteration 3 of a foreach), `check#2` (the second
 * time a `goto` brought the run back to `check`).
 */
export interface StepRecord {
  key: string;
  name: string;
  kind: StepKind;
  /** The frame (step list instance) the step ran in; '' is the workflow's own list. */
  frame: string;
  /** Index of the step in its list. */
  index: number;
  /** Stable across attempts; agents, timers, waits and child runs refer to it. */
  taskId: string;
  status: StepStatus;
  attempt: number;
  agent: string | null;
  action: string | null;
  workflow: string | null;
  input: unknown;
  output: unknown;
  error: StepError | null;
  startedAt: number | null;
  finishedAt: number | null;
  /** Creation order within the run. */
  seq: number;
  /** Set once a handler (escalate, a workflow) took the step's failure over. */
  parkedBy?: ParkedBy;
  /** For a waiting wait_for_event (or escalated) step: what it waits for. */
  waitingFor?: { type: string; correlation: string | null };
}

/** Where a step list lives in the definition: the workflow's own, or inside a container step. */
export interface ListRef {
  /** The container step's name; absent for the workflow's own list. */
  step?: string;
  /** Switch: the case index (-1 for default). Parallel: the branch index. Foreach: absent. */
  branch?: number;
}

/** One running instance of a step list: a sequential thread of control. */
export interface Frame {
  key: string;
  list: ListRef;
  /** The position of the step running now, or of the next one to start. */
  index: number;
  /** The key of the record the frame waits on, while one runs. */
  current?: string;
  /** Loop variables bound by a foreach iteration. */
  locals?: Record<string, unknown>;
  /** The frame this one is nested in (null for the root). */
  parent: string | null;
  /** The container record that owns this frame. */
  owner?: string;
  /** Parallel branch or foreach iteration number. */
  slot?: number;
}

export interface BranchState {
  status: 'running' | 'completed' | 'failed' | 'cancelled';
  output?: unknown;
}

/** The bookkeeping of a running switch, parallel or foreach step, keyed by its record key. */
export type ContainerState =
  | { kind: 'switch'; key: string; frames: string[] }
  | {
      kind: 'parallel';
      key: string;
      frames: string[];
      join: 'all' | 'any';
      branches: BranchState[];
    }
  | {
      kind: 'foreach';
      key: string;
      frames: string[];
      items: unknown[];
      /** The next item to start. */
      next: number;
      /** Items finished so far. */
      done: number;
      outputs: unknown[];
    };

export interface ControlState {
  /** Bumped for every record created: the order the run view lists steps in. */
  seq: number;
  frames: Record<string, Frame>;
  containers: Record<string, ContainerState>;
  /** Workflow-level error handlers taken so far (bounded, so handlers cannot loop forever). */
  handled: number;
  /** Set while the run is failed at a step: what `/retry` restores (see run-retry.ts). */
  retry?: RetryPoint;
}

/** A step that was active when a failure happened, as it was then. */
export interface ActiveStep {
  key: string;
  status: StepStatus;
  parkedBy?: ParkedBy;
  waitingFor?: { type: string; correlation: string | null };
}

/**
 * The control state just before a step's failure, kept when that failure
 * fails the run: failing a run dismantles every frame and container, and a
 * retry from the failed step needs them back, nested lists included.
 */
export interface RetryPoint {
  /** The record of the step whose failure failed the run. */
  key: string;
  frames: Record<string, Frame>;
  containers: Record<string, ContainerState>;
  /** The other steps that were active then; the failure cancelled (or failed) them. */
  active: ActiveStep[];
}

export const ROOT_FRAME = '';

export function initialState(): ControlState {
  return {
    seq: 0,
    frames: { [ROOT_FRAME]: { key: ROOT_FRAME, list: {}, index: 0, parent: null } },
    containers: {},
    handled: 0,
  };
}

export const ACTIVE_STATUSES: ReadonlySet<StepStatus> = new Set(['running', 'retrying', 'waiting']);
export const FINISHED_STATUSES: ReadonlySet<StepStatus> = new Set([
  'completed',
  'failed',
  'skipped',
]);

/**
 * The control state of a run started before nested execution existed: a
 * sequential run whose records are all in the workflow's own list.
 */
export function legacyState(records: Iterable<StepRecord>): ControlState {
  const state = initialState();
  const root = state.frames[ROOT_FRAME];
  for (const record of records) {
    state.seq = Math.max(state.seq, record.seq);
    if (ACTIVE_STATUSES.has(record.status)) {
      root.index = record.index;
      root.current = record.key;
    } else if (root.current === undefined) {
      root.index = Math.max(root.index, record.index + 1);
    }
  }
  return state;
}
