import type { WorkflowDefinition } from '@baton/workflow-dsl';
import type { Effect, RunContext, RunInfo, RunInput, RunOutcome } from './effects';
import { createContext, decide as decideInPlace } from './planner';
import { retryProblem as retryProblemOf } from './retry';
import type { ControlState, StepRecord } from './state';

/** A run as the interpreter sees it: what it runs, and where it stands. */
export interface RunState {
  readonly definition: WorkflowDefinition;
  readonly run: RunInfo;
  /** Frames, containers and counters: stored on the run row. */
  readonly control: ControlState;
  /** Every step execution of the run so far: the rows of `step_executions`. */
  readonly records: Iterable<StepRecord>;
}

/** What the interpreter may ask of the world: ids, and (tests, dry runs) a clock and dice. */
export interface DecisionSources {
  newId: () => string;
  now?: () => number;
  random?: () => number;
}

/** The answer to one input: where the run stands now, and what the caller has to carry out. */
export interface Decision {
  readonly state: RunState;
  /** What to do, in order: dispatch work, set timers and waits, publish run events. */
  readonly effects: Effect[];
  /** The records this decision created or changed (the ones to write). */
  readonly changed: StepRecord[];
  /** Set when the decision ended the run. */
  readonly outcome?: RunOutcome;
}

/**
 * Decides what follows `input` for a run in `state`. No database, no Kafka,
 * no clock but `sources.now`. The state's control object and records are
 * taken over by the decision (changed in place, not copied: a copy of every
 * record of a long run on each step would cost the engine more than it
 * saves); the caller keeps what the returned `state` holds.
 */
export async function decide(
  state: RunState,
  input: RunInput,
  sources: DecisionSources,
): Promise<Decision> {
  const ctx = contextOf(state, sources);
  await decideInPlace(ctx, input);
  return decisionOf(ctx);
}

/** Why a failed run in `state` cannot be retried from its failed step (`/retry`), or undefined. */
export function retryProblem(state: RunState): string | undefined {
  return retryProblemOf(contextOf(state, { newId: () => '' }));
}

function contextOf(state: RunState, sources: DecisionSources): RunContext {
  return createContext({
    definition: state.definition,
    run: state.run,
    state: state.control,
    records: state.records,
    newId: sources.newId,
    now: sources.now,
    random: sources.random,
  });
}

function decisionOf(ctx: RunContext): Decision {
  return {
    state: {
      definition: ctx.definition,
      run: ctx.run,
      control: ctx.state,
      records: [...ctx.records.values()],
    },
    effects: ctx.effects,
    changed: [...ctx.dirty].map((key) => ctx.records.get(key)!),
    ...(ctx.outcome ? { outcome: ctx.outcome } : {}),
  };
}
