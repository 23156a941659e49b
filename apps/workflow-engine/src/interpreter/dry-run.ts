import type { WorkflowDefinition } from '@baton/workflow-dsl';
import { decide, type RunState } from './decide';
import type { Effect, RunInput, RunOutcome } from './effects';
import { ESCALATION_RESOLVED } from './records';
import { initialState, type StepError, type StepRecord } from './state';

/** What a step answers in a dry run: an output, or a failure (`timeout` acts as the step's timeout). */
export interface StepMock {
  output?: unknown;
  error?: { type: string; message?: string };
  /** For a step a handler escalates: the data of the `workflow.escalation.resolved` event. */
  escalation?: unknown;
}

/** One mock for every call, or one per call in order (the last one repeats). */
export type MockSpec = StepMock | StepMock[];

/** What a dry run asks to be answered: a task, an awaited event or a child run. */
export type DryRunRequest = Extract<Effect, { kind: 'dispatch' | 'await-event' | 'start-child' }>;

export interface DryRunOptions {
  definition: WorkflowDefinition;
  input: unknown;
  /** What `${trigger}` reads (a shadow run replays the event that started the live run). */
  trigger?: unknown;
  mocks: Readonly<Record<string, MockSpec>>;
  /**
   * Answers each request instead of `mocks` when given (a shadow run answers
   * from a past run's records by the step's path); undefined is "no mock".
   */
  answer?: (request: DryRunRequest) => StepMock | undefined;
  /** Sub-workflows without a mock run in memory too, when their definition can be found. */
  loadWorkflow?: (name: string) => Promise<WorkflowDefinition | undefined>;
  runId?: string;
  depth?: number;
  /** Passes the state through JSON between decisions (tests: nothing lives only in memory). */
  persist?: boolean;
}

export interface TraceEntry {
  /** Virtual milliseconds since the start: retry backoff advances the clock, nothing waits. */
  at: number;
  type: string;
  step?: string;
  path?: string;
  [field: string]: unknown;
}

export interface DryRunResult {
  status: 'completed' | 'failed' | 'cancelled' | 'running';
  output: unknown;
  error: StepError | null;
  steps: StepRecord[];
  trace: TraceEntry[];
}

const MAX_DECISIONS = 10_000;
const MAX_DEPTH = 5;

/**
 * Runs a workflow in memory with the engine's own interpreter, answering
 * every task from the mocks: nothing is dispatched, nothing is stored. A step
 * without a mock answers `null`; a wait_for_event without one keeps waiting
 * (the run then ends the dry run still `running`).
 */
export async function dryRun(options: DryRunOptions): Promise<DryRunResult> {
  let clock = 0;
  let ids = 0;
  const runId = options.runId ?? 'dry-run';
  const run = {
    id: runId,
    workflow: options.definition.name,
    version: 0,
    input: options.input,
    trigger: options.trigger,
  };
  const sources = { now: () => clock, newId: () => `${runId}-task-${++ids}`, random: () => 1 };
  // Each decision starts from the state the previous one left, as in the engine.
  let state: RunState = {
    definition: options.definition,
    run,
    control: initialState(),
    records: [],
  };
  let outcome: RunOutcome | undefined;
  const stored = (from: RunState): RunState =>
    options.persist
      ? { ...from, control: clone(from.control), records: clone([...from.records]) }
      : from;
  const trace: TraceEntry[] = [];
  const calls = new Map<string, number>();
  const inbox: RunInput[] = [{ kind: 'start' }];
  let decisions = 0;

  const mockOf = (request: DryRunRequest): StepMock | undefined =>
    options.answer ? options.answer(request) : mockFor(request.step);

  const mockFor = (step: string): StepMock | undefined => {
    const spec = options.mocks[step];
    const n = calls.get(step) ?? 0;
    calls.set(step, n + 1);
    if (spec === undefined) return undefined;
    if (!Array.isArray(spec)) return spec;
    return spec.length === 0 ? undefined : spec[Math.min(n, spec.length - 1)];
  };

  const answer = async (effect: Effect): Promise<void> => {
    switch (effect.kind) {
      case 'event':
        trace.push({ at: clock, type: effect.type, ...effect.data });
        return;
      case 'timer':
        if (effect.timer === 'retry') {
          clock += effect.delayMs;
          inbox.push({ kind: 'timer', timer: 'retry', taskId: effect.taskId });
        }
        return; // timeouts fire only when a mock says so
      case 'dispatch': {
        const mock = mockOf(effect);
        trace.push({
          at: clock,
          type: 'dry-run.dispatched',
          step: effect.step,
          path: effect.key,
          [effect.target]: effect.name,
          input: effect.input,
          mocked: mock !== undefined,
        });
        inbox.push(taskAnswer(effect.taskId, effect.attempt, mock));
        return;
      }
      case 'await-event': {
        if (effect.eventType === ESCALATION_RESOLVED) {
          const data = options.mocks[effect.step];
          const mock = Array.isArray(data) ? data[data.length - 1] : data;
          if (mock?.escalation !== undefined)
            inbox.push({
              kind: 'event',
              taskId: effect.taskId,
              type: effect.eventType,
              data: mock.escalation,
            });
          return;
        }
        const mock = mockOf(effect);
        if (mock?.error?.type === 'timeout') {
          inbox.push({ kind: 'timer', timer: 'step-timeout', taskId: effect.taskId, attempt: 1 });
        } else if (mock) {
          inbox.push({
            kind: 'event',
            taskId: effect.taskId,
            type: effect.eventType,
            data: mock.output ?? null,
          });
        }
        return;
      }
      case 'start-child':
        inbox.push(await childAnswer(effect, mockOf(effect)));
        return;
      case 'release':
        return;
    }
  };

  const childAnswer = async (
    effect: Extract<Effect, { kind: 'start-child' }>,
    mock: StepMock | undefined,
  ): Promise<RunInput> => {
    const base = {
      kind: 'child-finished' as const,
      taskId: effect.taskId,
      attempt: effect.attempt,
    };
    // A handler workflow (on_error / error_handlers) runs after the step's own mock was used.
    const parked = [...state.records].find((r) => r.key === effect.key)?.parkedBy !== undefined;
    if (mock && !parked) {
      trace.push({
        at: clock,
        type: 'dry-run.child',
        step: effect.step,
        workflow: effect.workflow,
        mocked: true,
      });
      return mock.error
        ? { ...base, status: 'failed', error: mockError(mock, effect.step) }
        : { ...base, status: 'completed', output: mock.output ?? null };
    }
    const depth = options.depth ?? 0;
    const definition =
      depth < MAX_DEPTH ? await options.loadWorkflow?.(effect.workflow) : undefined;
    if (!definition) {
      trace.push({
        at: clock,
        type: 'dry-run.child',
        step: effect.step,
        workflow: effect.workflow,
        mocked: false,
      });
      return { ...base, status: 'completed', output: null };
    }
    const child = await dryRun({
      ...options,
      definition,
      input: effect.input,
      runId: `${runId}/${effect.step}`,
      depth: depth + 1,
    });
    trace.push({
      at: clock,
      type: 'dry-run.child',
      step: effect.step,
      workflow: effect.workflow,
      status: child.status,
      output: child.output,
      trace: child.trace,
    });
    if (child.status === 'completed') return { ...base, status: 'completed', output: child.output };
    return {
      ...base,
      status: 'failed',
      error: child.error ?? { type: 'system_error', message: `the child run is ${child.status}` },
    };
  };

  while (inbox.length > 0 && !outcome) {
    if (++decisions > MAX_DECISIONS) {
      return finish(state.records, trace, {
        status: 'failed',
        error: {
          type: 'system_error',
          message: `the dry run stopped after ${MAX_DECISIONS} decisions`,
        },
      });
    }
    const decision = await decide(stored(state), inbox.shift()!, sources);
    state = decision.state;
    outcome = decision.outcome;
    for (const effect of decision.effects) await answer(effect);
  }
  return finish(state.records, trace, outcome);
}

/** A JSON round trip: what the engine stores is all a decision may rely on. */
function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function taskAnswer(taskId: string, attempt: number, mock: StepMock | undefined): RunInput {
  if (mock?.error?.type === 'timeout')
    return { kind: 'timer', timer: 'step-timeout', taskId, attempt };
  if (mock?.error) {
    return { kind: 'task-result', taskId, attempt, status: 'failed', error: mockError(mock, '') };
  }
  return {
    kind: 'task-result',
    taskId,
    attempt,
    status: 'completed',
    output: mock?.output ?? null,
  };
}

function mockError(mock: StepMock, step: string): StepError {
  const type = mock.error?.type ?? 'system_error';
  return { type, message: mock.error?.message ?? `mocked ${type}`, ...(step ? { step } : {}) };
}

function finish(
  records: Iterable<StepRecord>,
  trace: TraceEntry[],
  outcome: RunOutcome | undefined,
): DryRunResult {
  const steps = [...records].sort((a, b) => a.seq - b.seq);
  if (!outcome) return { status: 'running', output: null, error: null, steps, trace };
  return {
    status: outcome.status,
    output: 'output' in outcome ? (outcome.output ?? null) : null,
    error: outcome.status === 'completed' ? null : (outcome.error ?? null),
    steps,
    trace,
  };
}
