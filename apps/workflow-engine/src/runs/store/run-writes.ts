import { outboxInsert, outboxMessages, preparedQuery, type Transaction } from '@baton/database';
import type { RunEntity, RunError } from './run.entity';
import type { RunCache } from './run-cache';
import type { RunsEnded } from './runs-ended';
import type { ControlState, StepRecord } from '../../interpreter';
import { toRow } from './step-record.mapper';
import {
  noObservations,
  observeStep,
  recordObservations,
  type WorkflowObservations,
} from '../workflow-metrics';

const RECORD_COLUMNS = `task_id uuid, run_id uuid, step_name text, step_index int, status text,
  attempt int, agent text, action text, input jsonb, output jsonb, error jsonb,
  started_at timestamptz, finished_at timestamptz, path text, kind text, frame text,
  workflow text, seq int, meta jsonb`;
const RECORD_NAMES = RECORD_COLUMNS.split(',').map((c) => c.trim().split(/\s+/)[0]);
const RECORD_UPDATED = RECORD_NAMES.filter((c) => !['task_id', 'run_id', 'path'].includes(c));

/** How a decision leaves the run's row: its control state, and its outcome once it ended. */
export interface RunRowUpdate {
  state: ControlState;
  updatedAt: Date;
  finished?: { status: string; output: unknown; error: RunError | null; at: Date };
}

interface NewTimer {
  runId: string;
  kind: string;
  fireAt: Date;
  payload: Record<string, unknown>;
}

/** Timers of one run to drop: all of them, or only those of one step's task. */
interface TimerRelease {
  runId: string;
  taskId: string | null;
}

/**
 * The writes of one or more decisions (step records, run rows, timers, and
 * the outbox rows of what they published), made in one statement. Decisions
 * on many runs (a batch of task results) share one buffer and one flush,
 * which is what lets the engine move hundreds of steps per transaction; a
 * single decision flushes its own.
 *
 * It also remembers the records each run has after its decisions, so a second
 * decision on the same run in the same transaction starts from them instead
 * of from rows that are not written yet; given a RunCache, it leaves there what
 * the runs it wrote look like once the transaction commits.
 */
export class RunWrites {
  private readonly records = new Map<string, { runId: string; record: StepRecord }>();
  /** Each decided run's row update, with the entity the cache keeps after the commit. */
  private readonly runRows = new Map<string, { run: RunEntity; update: RunRowUpdate }>();
  private newTimers: NewTimer[] = [];
  private readonly releases: TimerRelease[] = [];
  private readonly known = new Map<string, StepRecord[]>();
  /** Ended steps, retries and ended runs of the buffered decisions, for the metrics. */
  private observed: WorkflowObservations = noObservations();
  /** A buffered decision ended a run: told to `ended` once the flush commits. */
  private endedRuns = false;

  constructor(
    private readonly cache?: RunCache,
    private readonly ended?: RunsEnded,
  ) {}

  /** The run's records as of this buffer, if it loaded or decided them. */
  recordsOf(runId: string): StepRecord[] | undefined {
    return this.known.get(runId);
  }

  /** Records read from the database in bulk, before the decisions. */
  remember(runId: string, records: StepRecord[]): void {
    this.known.set(runId, records);
  }

  saveRecords(runId: string, all: Iterable<StepRecord>, changed: Iterable<StepRecord>): void {
    this.known.set(runId, [...all]);
    for (const record of changed) {
      this.records.set(record.taskId, { runId, record });
      observeStep(this.observed, runId, record);
    }
  }

  updateRun(run: RunEntity, update: RunRowUpdate): void {
    const earlier = this.runRows.get(run.id)?.update;
    if (update.finished && !earlier?.finished) {
      this.observed.finished.push({ run, status: update.finished.status });
      this.endedRuns = true;
    }
    // A run that ended keeps its outcome even if a later decision only touched its state.
    this.runRows.set(run.id, {
      run,
      update: { ...update, finished: update.finished ?? earlier?.finished },
    });
  }

  addTimer(timer: NewTimer): void {
    this.newTimers.push(timer);
  }

  /**
   * Drops timers of the run (or of one of its tasks). Timers added earlier in
   * this buffer are dropped here and now; the flush deletes the stored ones
   * before it inserts what is left, so the order of the calls is kept.
   */
  releaseTimers(runId: string, taskId: string | null): void {
    this.newTimers = this.newTimers.filter(
      (t) => t.runId !== runId || (taskId !== null && t.payload.task_id !== taskId),
    );
    this.releases.push({ runId, taskId });
  }

  /**
   * Writes everything buffered so far, in the caller's transaction, as one
   * statement (a data-modifying CTE per table), and empties the buffer. The
   * timer delete cannot see timers inserted by the same statement: the ones
   * it should not keep were dropped from the buffer when they were released.
   *
   * `expected` (run id → the xmin its decision started from) makes the write
   * conditional: if any of those runs' rows changed since, the whole statement
   * fails with serialization_failure (SQLSTATE 40001) and writes nothing.
   */
  async flush(tx: Transaction, expected?: ReadonlyMap<string, string>): Promise<void> {
    const params: string[] = [];
    const json = (rows: unknown[] | string): string => {
      params.push(typeof rows === 'string' ? rows : JSON.stringify(rows));
      return `$${params.length}::jsonb`;
    };
    const parts: string[] = [];
    const guarded = expected !== undefined && expected.size > 0;
    if (this.records.size > 0) parts.push(recordsUpsert(json(this.recordRows())));
    if (this.releases.length > 0) parts.push(timersRelease(json(this.releaseRows())));
    if (this.newTimers.length > 0) parts.push(timersInsert(json(this.timerRows())));
    const runsPart = this.runRows.size > 0 ? parts.length : -1;
    if (runsPart >= 0) parts.push(runsUpdate(json(this.runUpdateRows(expected)), guarded));
    // What the decisions published goes into the outbox in the same statement.
    const unwritten = parts.length > 0 ? tx.unwrittenOutbox() : [];
    const outboxPart = unwritten.length > 0 ? parts.length : -1;
    if (outboxPart >= 0) parts.push(outboxInsert(json(outboxMessages(unwritten))));
    if (parts.length > 0) {
      const ctes = parts.map((sql, n) => `w${n} AS (${sql})`).join(',\n');
      const columns = [
        outboxPart >= 0 ? `(SELECT id FROM w${outboxPart}) AS outbox_id` : 'NULL AS outbox_id',
        runsPart >= 0
          ? `(SELECT jsonb_object_agg(id, xmin) FROM w${runsPart}) AS xmins`
          : 'NULL AS xmins',
      ];
      if (guarded) {
        params.push(String(expected.size));
        columns.push(
          `runs_unchanged($${params.length}::int, (SELECT count(*) FROM w${runsPart})::int)`,
        );
      }
      // Prepared: one of a few texts (which parts are present), planned once per connection.
      const [row] = await preparedQuery<{
        outbox_id: string | null;
        xmins: Record<string, string> | null;
      }>(tx.manager, `WITH ${ctes} SELECT ${columns.join(', ')}`, params);
      if (row.outbox_id !== null) tx.outboxWritten(row.outbox_id, unwritten.length);
      this.cacheOnCommit(tx, row.xmins ?? {});
      this.metricsOnCommit(tx);
      this.endedOnCommit(tx);
    }
    this.records.clear();
    this.runRows.clear();
    this.newTimers = [];
    this.releases.length = 0;
  }

  /** After the commit, each written run's entity, records and new row version go to the cache. */
  private cacheOnCommit(tx: Transaction, xmins: Record<string, string>): void {
    const cache = this.cache;
    if (!cache) return;
    const entries = [...this.runRows.values()].map(({ run }) => ({
      run,
      records: this.known.get(run.id),
      xmin: xmins[run.id],
    }));
    tx.afterCommit(() => {
      for (const { run, records, xmin } of entries) {
        if (records && xmin) cache.put({ run, records, xmin });
        else cache.drop(run.id);
      }
    });
  }

  private endedOnCommit(tx: Transaction): void {
    const ended = this.ended;
    if (!this.endedRuns || !ended) return;
    this.endedRuns = false;
    tx.afterCommit(() => ended.notify());
  }

  private metricsOnCommit(tx: Transaction): void {
    const observed = this.observed;
    this.observed = noObservations();
    if (observed.steps.length === 0 && observed.finished.length === 0) return;
    const runs = new Map([...this.runRows].map(([id, { run }]) => [id, run]));
    tx.afterCommit(() => recordObservations(observed, runs));
  }

  private recordRows(): Record<string, unknown>[] {
    return [...this.records.values()].map(({ runId, record }) => toRow(runId, record));
  }

  private releaseRows(): { run_id: string; task_id: string | null }[] {
    return this.releases.map((r) => ({ run_id: r.runId, task_id: r.taskId }));
  }

  private timerRows(): Record<string, unknown>[] {
    return this.newTimers.map((t) => ({
      run_id: t.runId,
      kind: t.kind,
      fire_at: t.fireAt.toISOString(),
      payload: t.payload,
    }));
  }

  private runUpdateRows(expected?: ReadonlyMap<string, string>): Record<string, unknown>[] {
    return [...this.runRows].map(([id, { update: u }]) => ({
      id,
      xmin: expected?.get(id) ?? null,
      state: u.state,
      updated_at: u.updatedAt.toISOString(),
      finished: u.finished !== undefined,
      status: u.finished?.status ?? null,
      // Wrapped, so that a JSON null output stays a JSON null (not SQL NULL).
      output: u.finished ? { value: u.finished.output ?? null } : null,
      error: u.finished?.error ?? null,
      finished_at: u.finished?.at.toISOString() ?? null,
    }));
  }
}

function recordsUpsert(rows: string): string {
  return `INSERT INTO step_executions (${RECORD_NAMES.join(', ')})
    SELECT ${RECORD_NAMES.join(', ')} FROM jsonb_to_recordset(${rows}) AS x(${RECORD_COLUMNS})
    ON CONFLICT (task_id) DO UPDATE SET
      ${RECORD_UPDATED.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`;
}

/**
 * SKIP LOCKED: a timer claimed by a firing transaction that waits for one of
 * these runs' locks would deadlock with us; it finds the step (or run) moved
 * on when it gets the lock, and does nothing.
 */
function timersRelease(rows: string): string {
  return `DELETE FROM timers WHERE id IN (
    SELECT t.id FROM timers t
      JOIN jsonb_to_recordset(${rows}) AS d(run_id uuid, task_id text) ON t.run_id = d.run_id
     WHERE d.task_id IS NULL OR t.payload->>'task_id' = d.task_id
       FOR UPDATE OF t SKIP LOCKED)`;
}

function timersInsert(rows: string): string {
  return `INSERT INTO timers (run_id, kind, fire_at, payload)
    SELECT run_id, kind, fire_at, payload
      FROM jsonb_to_recordset(${rows}) AS t(run_id uuid, kind text, fire_at timestamptz, payload jsonb)`;
}

/**
 * The state always; the outcome columns only for runs that ended. Guarded,
 * only rows still at the version the decision read are updated (a row changed
 * meanwhile is re-checked after its lock is released, and then skipped).
 */
function runsUpdate(rows: string, guarded: boolean): string {
  return `UPDATE runs r SET
      state = u.state,
      updated_at = u.updated_at,
      status = CASE WHEN u.finished THEN u.status ELSE r.status END,
      output = CASE WHEN u.finished THEN u.output->'value' ELSE r.output END,
      error = CASE WHEN u.finished THEN u.error ELSE r.error END,
      finished_at = CASE WHEN u.finished THEN u.finished_at ELSE r.finished_at END,
      paused_at = CASE WHEN u.finished THEN NULL ELSE r.paused_at END
     FROM jsonb_to_recordset(${rows}) AS u(id uuid, state jsonb, updated_at timestamptz,
          finished boolean, status text, output jsonb, error jsonb, finished_at timestamptz,
          xmin xid)
    WHERE r.id = u.id${guarded ? ' AND r.xmin = u.xmin' : ''}
    RETURNING r.id, r.xmin::text AS xmin`;
}
