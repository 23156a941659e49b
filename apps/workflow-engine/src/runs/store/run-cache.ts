import { Injectable } from '@nestjs/common';
import type { RunEntity } from './run.entity';
import type { StepRecord } from '../../interpreter';

/** A running run as of its last commit, and the row version that commit left (`xmin`). */
export interface CachedRun {
  run: RunEntity;
  records: StepRecord[];
  /** The runs row's xmin after that commit: any later change to the run changes it. */
  xmin: string;
}

/** Enough for the runs in flight on one engine; a run pushed out only loses its fast path. */
const CACHE_LIMIT = 5_000;

/**
 * The running runs this engine decided last, as they were committed, so the
 * next result of such a run is decided without reading it back under a lock
 * (CachedResultDecisions). An entry may be stale (another engine, a timer,
 * a pause moved the run since); the write that follows a decision made from
 * it only succeeds if the run's row is still the version cached, so a stale
 * entry costs a retry on the locked path, never a wrong decision.
 *
 * A decision takes its run's entry out (`take`) and the commit that follows
 * puts the new one back: two decisions never work on the same objects.
 */
@Injectable()
export class RunCache {
  private readonly runs = new Map<string, CachedRun>();
  /** Task id → run id, for the tasks of cached runs. */
  private readonly runOfTasks = new Map<string, string>();

  get size(): number {
    return this.runs.size;
  }

  runOfTask(taskId: string): string | undefined {
    return this.runOfTasks.get(taskId);
  }

  /** Removes and returns the run's entry: the caller decides on it, then puts the outcome back. */
  take(runId: string): CachedRun | undefined {
    const entry = this.runs.get(runId);
    if (entry) this.drop(runId);
    return entry;
  }

  /** What a commit left of a run. A run that is no longer running has nothing left to decide. */
  put(entry: CachedRun): void {
    this.drop(entry.run.id);
    if (entry.run.status !== 'running') return;
    this.runs.set(entry.run.id, entry);
    for (const record of entry.records) this.runOfTasks.set(record.taskId, entry.run.id);
    if (this.runs.size > CACHE_LIMIT) this.drop(this.runs.keys().next().value as string);
  }

  drop(runId: string): void {
    const entry = this.runs.get(runId);
    if (!entry) return;
    this.runs.delete(runId);
    for (const record of entry.records) {
      if (this.runOfTasks.get(record.taskId) === runId) this.runOfTasks.delete(record.taskId);
    }
  }
}
