import { isDeepStrictEqual } from 'node:util';
import type { DryRunResult, StepError, StepRecord } from '../interpreter';
import type { AnswerSource } from './recorded-answers';

/** A past run of the workflow as the engine stored it: the shadow run's source. */
export interface LiveRun {
  id: string;
  version: number;
  status: string;
  input: unknown;
  /** What it read as `${trigger}` (the event that started it), if anything. */
  trigger?: unknown;
  output: unknown;
  error: StepError | null;
  /** Its step records, in creation order. */
  records: StepRecord[];
}

export type ShadowVerdict = 'same' | 'differs' | 'failed';

/** One side of a step or run: what it ended as. */
export interface OutcomeSide {
  status: string;
  output: unknown;
  error: { type: string; message: string } | null;
}

export interface StepDifference {
  path: string;
  /** null: the step did not run on that side. */
  live: OutcomeSide | null;
  candidate: OutcomeSide | null;
  /** How the candidate's step was answered (absent for a control step or one it never ran). */
  answer?: AnswerSource;
}

/** Where the two paths part: the first position in creation order whose step differs. */
export interface PathDivergence {
  index: number;
  live: string | null;
  candidate: string | null;
}

export interface RunComparison {
  verdict: Exclude<ShadowVerdict, 'failed'>;
  live: OutcomeSide;
  candidate: OutcomeSide;
  path_differs_at: PathDivergence | null;
  step_differences: StepDifference[];
  /** Differences beyond the bound, counted but not listed. */
  step_differences_omitted: number;
}

/** A report stays small whatever the runs held: a few differences per run, each value clipped. */
export const MAX_STEP_DIFFERENCES = 10;
export const MAX_VALUE_CHARS = 512;

/**
 * Compares what the live version did with what the candidate did on the same
 * input: the run's end, the order of the steps it ran, and each step's end.
 * `same` only when all three match.
 */
export function compareRuns(
  live: LiveRun,
  candidate: DryRunResult,
  answerOf: (path: string) => AnswerSource | undefined,
): RunComparison {
  const liveEnd = side(live.status, live.output, live.error);
  const candidateEnd = side(candidate.status, candidate.output, candidate.error);
  const path_differs_at = divergence(
    live.records.map((r) => r.key),
    candidate.steps.map((r) => r.key),
  );
  const differences = stepDifferences(live.records, candidate.steps, answerOf);
  const same = sameSide(liveEnd, candidateEnd) && !path_differs_at && differences.length === 0;
  return {
    verdict: same ? 'same' : 'differs',
    live: clipSide(liveEnd),
    candidate: clipSide(candidateEnd),
    path_differs_at,
    step_differences: differences.slice(0, MAX_STEP_DIFFERENCES),
    step_differences_omitted: Math.max(0, differences.length - MAX_STEP_DIFFERENCES),
  };
}

function divergence(live: string[], candidate: string[]): PathDivergence | null {
  const length = Math.max(live.length, candidate.length);
  for (let index = 0; index < length; index++) {
    if (live[index] !== candidate[index]) {
      return { index, live: live[index] ?? null, candidate: candidate[index] ?? null };
    }
  }
  return null;
}

function stepDifferences(
  live: readonly StepRecord[],
  candidate: readonly StepRecord[],
  answerOf: (path: string) => AnswerSource | undefined,
): StepDifference[] {
  const liveByPath = new Map(live.map((r) => [r.key, r]));
  const candidateByPath = new Map(candidate.map((r) => [r.key, r]));
  // The candidate's order first, then the live steps it never reached.
  const paths = [
    ...candidateByPath.keys(),
    ...[...liveByPath.keys()].filter((p) => !candidateByPath.has(p)),
  ];
  const differences: StepDifference[] = [];
  for (const path of paths) {
    const l = liveByPath.get(path);
    const c = candidateByPath.get(path);
    const liveSide = l ? recordSide(l) : null;
    const candidateSide = c ? recordSide(c) : null;
    if (liveSide && candidateSide && sameSide(liveSide, candidateSide)) continue;
    const answer = c ? answerOf(path) : undefined;
    differences.push({
      path,
      live: liveSide && clipSide(liveSide),
      candidate: candidateSide && clipSide(candidateSide),
      ...(answer ? { answer } : {}),
    });
  }
  return differences;
}

function recordSide(record: StepRecord): OutcomeSide {
  return side(record.status, record.output, record.error);
}

function side(status: string, output: unknown, error: StepError | null): OutcomeSide {
  return {
    status,
    output: output ?? null,
    error: error ? { type: error.type, message: error.message } : null,
  };
}

/** Equal as stored: a live side comes from jsonb, a candidate side from memory. */
function sameSide(a: OutcomeSide, b: OutcomeSide): boolean {
  return (
    a.status === b.status &&
    isDeepStrictEqual(json(a.output), json(b.output)) &&
    a.error?.type === b.error?.type
  );
}

function json(value: unknown): unknown {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown);
}

function clipSide(s: OutcomeSide): OutcomeSide {
  return {
    ...s,
    output: clip(s.output),
    error: s.error && { ...s.error, message: s.error.message.slice(0, MAX_VALUE_CHARS) },
  };
}

/** A value too long for the report becomes `{ truncated: true, preview }` (its JSON's start). */
export function clip(value: unknown): unknown {
  const text = JSON.stringify(value ?? null);
  if (text.length <= MAX_VALUE_CHARS) return value ?? null;
  return { truncated: true, preview: text.slice(0, MAX_VALUE_CHARS) };
}
