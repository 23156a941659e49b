import type { WorkflowDefinition } from '@baton/workflow-dsl';
import { dryRun, type DryRunResult } from '../interpreter';
import { RecordedAnswers } from './recorded-answers';
import {
  compareRuns,
  type LiveRun,
  type OutcomeSide,
  type RunComparison,
  type StepDifference,
} from './run-comparison';

/** One source run shadowed: how the candidate compares, and how its steps were answered. */
export type ShadowRunResult =
  | (RunComparison & { run_id: string; live_version: number; answers: AnswerCounts })
  | { run_id: string; live_version: number; verdict: 'failed'; reason: string };

/** A stored event no finished live run was started by: the candidate alone, nothing compared. */
export type UnmatchedShadowResult =
  | {
      verdict: 'no_live_run';
      candidate: OutcomeSide;
      step_differences: StepDifference[];
      step_differences_omitted: number;
      answers: AnswerCounts;
    }
  | { verdict: 'failed'; reason: string };

export interface AnswerCounts {
  /** Steps answered with the live run's recorded answer (same step, same request). */
  recorded: number;
  /** Steps the live run never answered in this form: a null stand-in, no call made. */
  not_recorded: number;
}

/** What the candidate starts with: the input and `${trigger}` the live run had (or would have). */
export interface ShadowStart {
  input: unknown;
  trigger?: unknown;
}

/**
 * Runs the candidate version on a live run's input with the engine's own
 * interpreter in memory, every task, action, wait and child run answered from
 * the live run's records (RecordedAnswers), and compares the two. Pure apart
 * from the clock-free dry run: no Kafka, no Postgres, no agent, no connector.
 */
export async function shadowRun(
  candidate: WorkflowDefinition,
  live: LiveRun,
): Promise<ShadowRunResult> {
  const head = { run_id: live.id, live_version: live.version };
  const answers = new RecordedAnswers(live.records);
  try {
    const result = await candidateRun(candidate, live, answers, `shadow:${live.id}`);
    const comparison = compareRuns(live, result, (path) => answers.sourceOf(path));
    return { ...head, ...comparison, answers: countsOf(answers) };
  } catch (error) {
    // An expression the candidate cannot evaluate on this input fails this run's shadow only.
    return { ...head, verdict: 'failed', reason: failure(error) };
  }
}

/**
 * The candidate on an input no live run answered (a stored event that started
 * none): every task, wait and child run is `not_recorded` (null), nothing is
 * called; the report lists the steps the candidate ran.
 */
export async function shadowWithoutLiveRun(
  candidate: WorkflowDefinition,
  start: ShadowStart,
  runId: string,
): Promise<UnmatchedShadowResult> {
  const answers = new RecordedAnswers([]);
  try {
    const result = await candidateRun(candidate, start, answers, `shadow:${runId}`);
    const nothing: LiveRun = {
      id: runId,
      version: 0,
      status: 'none',
      ...start,
      output: null,
      error: null,
      records: [],
    };
    const {
      candidate: end,
      step_differences,
      step_differences_omitted,
    } = compareRuns(nothing, result, (path) => answers.sourceOf(path));
    return {
      verdict: 'no_live_run',
      candidate: end,
      step_differences,
      step_differences_omitted,
      answers: countsOf(answers),
    };
  } catch (error) {
    return { verdict: 'failed', reason: failure(error) };
  }
}

function candidateRun(
  candidate: WorkflowDefinition,
  start: ShadowStart,
  answers: RecordedAnswers,
  runId: string,
): Promise<DryRunResult> {
  return dryRun({
    definition: candidate,
    input: start.input,
    trigger: start.trigger ?? undefined,
    mocks: {},
    answer: answers.answer,
    runId,
  });
}

function countsOf(answers: RecordedAnswers): AnswerCounts {
  return { recorded: answers.count('recorded'), not_recorded: answers.count('not_recorded') };
}

function failure(error: unknown): string {
  return (error as Error).message.slice(0, 512);
}
