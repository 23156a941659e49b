import { counter, DURATION_BUCKETS, histogram, hotPathMetrics } from '@baton/telemetry';
import type { RunEntity } from './store/run.entity';
import type { StepRecord } from '../interpreter';

/*
 * Workflow metrics on the engine's /metrics. Labels are bounded: the
 * workspace, the workflow's name (names a workspace registered, so bounded
 * by its workflows) and version, a step's kind (a fixed set) and an outcome
 * (a fixed set). Never a run id, a step's position or anything from inputs.
 */
const runsStarted = counter({
  name: 'baton_workflow_runs_started_total',
  help: 'Runs started, by workflow and version',
  labelNames: ['workspace', 'workflow', 'version'],
});
const runsFinished = counter({
  name: 'baton_workflow_runs_finished_total',
  help: 'Runs that ended, by workflow, version and status (completed, failed, cancelled)',
  labelNames: ['workspace', 'workflow', 'version', 'status'],
});
const runDuration = histogram({
  name: 'baton_workflow_run_duration_seconds',
  help: 'From a run’s start to its end, by workflow and status',
  labelNames: ['workspace', 'workflow', 'status'],
  buckets: DURATION_BUCKETS,
});
const stepDuration = histogram({
  name: 'baton_workflow_step_duration_seconds',
  help: 'From a step’s start to its end (retries included), by workflow, step kind and status',
  labelNames: ['workspace', 'workflow', 'kind', 'status'],
  buckets: DURATION_BUCKETS,
});
const stepRetries = counter({
  name: 'baton_workflow_step_retries_total',
  help: 'Failed step attempts that will be tried again, by workflow and step kind',
  labelNames: ['workspace', 'workflow', 'kind'],
});
const timerLag = histogram({
  name: 'baton_workflow_timer_lag_seconds',
  help: 'How late timers (timeouts, retries, schedules) fired after they were due',
  labelNames: ['kind'],
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
});

const ENDED_STEPS = new Set(['completed', 'failed', 'cancelled']);

/** What one flush of decisions did, kept until its transaction commits. */
export interface WorkflowObservations {
  steps: { runId: string; kind: string; status: string; seconds?: number }[];
  finished: { run: RunEntity; status: string }[];
}

export function noObservations(): WorkflowObservations {
  return { steps: [], finished: [] };
}

/** A changed step record: a retry, or an end with its duration. */
export function observeStep(into: WorkflowObservations, runId: string, record: StepRecord): void {
  if (!hotPathMetrics) return;
  if (record.status === 'retrying') {
    into.steps.push({ runId, kind: record.kind, status: 'retrying' });
  } else if (ENDED_STEPS.has(record.status)) {
    const seconds =
      record.startedAt !== null && record.finishedAt !== null
        ? Math.max(0, record.finishedAt - record.startedAt) / 1000
        : undefined;
    into.steps.push({ runId, kind: record.kind, status: record.status, seconds });
  }
}

/** Counted after the commit, so a decision rolled back and retried counts once. */
export function recordObservations(
  observations: WorkflowObservations,
  runs: ReadonlyMap<string, RunEntity>,
): void {
  for (const step of observations.steps) {
    const run = runs.get(step.runId);
    if (!run) continue;
    const labels = { workspace: run.workspaceId, workflow: run.workflow, kind: step.kind };
    if (step.status === 'retrying') stepRetries.inc(labels);
    else if (step.seconds !== undefined) {
      stepDuration.observe({ ...labels, status: step.status }, step.seconds);
    }
  }
  for (const { run, status } of observations.finished) {
    runsFinished.inc({
      workspace: run.workspaceId,
      workflow: run.workflow,
      version: String(run.workflowVersion),
      status,
    });
    const seconds = (Date.now() - new Date(run.createdAt).getTime()) / 1000;
    runDuration.observe(
      { workspace: run.workspaceId, workflow: run.workflow, status },
      Math.max(0, seconds),
    );
  }
}

export function recordRunStarted(run: RunEntity): void {
  if (!hotPathMetrics) return;
  runsStarted.inc({
    workspace: run.workspaceId,
    workflow: run.workflow,
    version: String(run.workflowVersion),
  });
}

export function recordTimerFired(kind: string, dueAt: Date): void {
  if (!hotPathMetrics) return;
  timerLag.observe({ kind }, Math.max(0, Date.now() - dueAt.getTime()) / 1000);
}
