import { UnitOfWork, type Transaction } from '@baton/database';
import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { RunCache, type CachedRun } from '../store/run-cache';
import { RunProgress } from '../execution/run-progress';
import type { RunWrites } from '../store/run-writes';
import { withResultDecisionSpan } from '../run-tracing';
import { taskResultInput, type ParsedResult } from './task-result';

/** A decision that needs more than the cache: the batch goes to the locked path instead. */
class NeedsLockedPath extends Error {}

/**
 * Task results by how they were decided: `cached` (one statement, no lock),
 * or sent to the locked path because the run was `uncached`, the cache was
 * `stale` (the run changed since), or the decision `needed_database`.
 */
const decisions = new Counter({
  name: 'baton_engine_cached_decisions_total',
  help: 'Task results by the path that decided them: cached, or why not (uncached, stale, needed_database)',
  labelNames: ['outcome'],
});

/** SQLSTATE of runs_unchanged(): a cached run changed before the write. */
const SERIALIZATION_FAILURE = '40001';

/**
 * The fast path for task results (ADR 0011): results of runs this engine
 * holds in its RunCache are decided from the cache and written in one
 * statement that Postgres commits by itself — no BEGIN, no row lock, no read
 * of the run, no COMMIT. The statement writes only if every run it touches
 * is still at the row version the cache had; otherwise it writes nothing
 * and the results go to the locked path, as does anything the cache cannot
 * settle alone: a late or repeated result, a paused run, a decision that
 * must query the database (a wait_for_event, a child run to cancel).
 */
@Injectable()
export class CachedResultDecisions {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly cache: RunCache,
    private readonly progress: RunProgress,
  ) {}

  /** Applies what it can; returns the results left for the locked path, in their order. */
  async apply(results: ParsedResult[]): Promise<ParsedResult[]> {
    const byRun = new Map<string, { entry: CachedRun; items: ParsedResult[] }>();
    const rest: ParsedResult[] = [];
    for (const item of results) {
      const runId = this.cache.runOfTask(item.result.task_id);
      const known = runId === undefined ? undefined : byRun.get(runId);
      if (known) {
        known.items.push(item);
        continue;
      }
      // Taken out, not read: no other decision can start from these objects meanwhile.
      const entry = runId === undefined ? undefined : this.cache.take(runId);
      if (entry) byRun.set(entry.run.id, { entry, items: [item] });
      else rest.push(item);
    }
    decisions.inc({ outcome: 'uncached' }, rest.length);
    if (byRun.size === 0) return results;
    const taken = results.length - rest.length;
    try {
      await this.uow.runAsOneStatement(async (tx) => {
        const writes = this.progress.newWrites();
        const expected = new Map<string, string>();
        for (const { entry, items } of byRun.values()) {
          writes.remember(entry.run.id, entry.records);
          expected.set(entry.run.id, entry.xmin);
          for (const item of items) await this.decide(tx, entry, item, writes);
        }
        await writes.flush(tx, expected);
      });
      decisions.inc({ outcome: 'cached' }, taken);
      return rest;
    } catch (error) {
      // The taken entries are part-decided or stale: they stay out of the cache.
      if (error instanceof NeedsLockedPath) decisions.inc({ outcome: 'needed_database' }, taken);
      else if (isSerializationFailure(error)) decisions.inc({ outcome: 'stale' }, taken);
      else throw error;
      return results;
    }
  }

  private async decide(
    tx: Transaction,
    entry: CachedRun,
    item: ParsedResult,
    writes: RunWrites,
  ): Promise<void> {
    const { result } = item;
    const step = writes.recordsOf(entry.run.id)?.find((r) => r.taskId === result.task_id);
    // Whether a result is late or repeated is for the locked path to say: the cache may be stale.
    if (!step || step.attempt !== result.attempt || step.status !== 'running') {
      throw new NeedsLockedPath();
    }
    const decided = await withResultDecisionSpan(item, entry.run.id, step.name, () =>
      this.progress.advanceIfSelfContained(
        tx,
        entry.run,
        taskResultInput(result),
        item.envelope,
        writes,
      ),
    );
    if (!decided) throw new NeedsLockedPath();
  }
}

function isSerializationFailure(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === SERIALIZATION_FAILURE;
}
