import type { WorkflowDefinition } from '@baton/workflow-dsl';
import { dryRun } from '../interpreter';
import { RecordedAnswers } from './recorded-answers';
import { compareRuns, type LiveRun, type RunComparison } from './run-comparison';

/** One source run shadowed: how the candidate compares, and how its steps were answered. */
export type ShadowRunResult =
  | (RunComparison & { run_id: string; live_version: number; answers: AnswerCounts })
  | { run_id: string; live_version: number; verdict: 'failed'; reason: string };

export interface AnswerCounts {
  /** Steps answered with the live run's recorded answer (same step, same request). */
  recorded: number;
  /** Steps the live run never answered in this form: a null stand-in, no call made. */
  not_recorded: number;
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
    const result = await dryRun({
      definition: candidate,
      input: live.input,
      mocks: {},
      answer: answers.answer,
      runId: `shadow:${live.id}`,
    });
    const comparison = compareRuns(live, result, (path) => answers.sourceOf(path));
    return {
      ...head,
      ...comparison,
      answers: { recorded: answers.count('recorded'), not_recorded: answers.count('not_recorded') },
    };
  } catch (error) {
    // An expression the candidate cannot evaluate on this input fails this run's shadow only.
    return { ...head, verdict: 'failed', reason: (error as Error).message.slice(0, 512) };
  }
}
