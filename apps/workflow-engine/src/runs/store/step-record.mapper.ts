import type { StepKind } from '@baton/workflow-dsl';
import type { StepRecord } from '../../interpreter';
import type { StepExecutionEntity, StepMeta } from './step-execution.entity';

/** A `step_executions` row as the interpreter sees it. */
export function toRecord(row: StepExecutionEntity): StepRecord {
  const meta = row.meta ?? {};
  return {
    key: row.path,
    name: row.stepName,
    kind: row.kind as StepKind,
    frame: row.frame,
    index: row.stepIndex,
    taskId: row.taskId,
    status: row.status,
    attempt: row.attempt,
    agent: row.agent,
    action: row.action,
    workflow: row.workflow,
    input: row.input ?? null,
    output: row.output ?? null,
    error: row.error,
    startedAt: row.startedAt?.getTime() ?? null,
    finishedAt: row.finishedAt?.getTime() ?? null,
    seq: row.seq,
    ...(meta.parked_by ? { parkedBy: meta.parked_by } : {}),
    ...(meta.waiting_for ? { waitingFor: meta.waiting_for } : {}),
  };
}

/** The row's columns, snake_case, for the batched upsert (`jsonb_to_recordset`). */
export function toRow(runId: string, record: StepRecord): Record<string, unknown> {
  const meta: StepMeta = {
    ...(record.parkedBy ? { parked_by: record.parkedBy } : {}),
    ...(record.waitingFor ? { waiting_for: record.waitingFor } : {}),
  };
  return {
    task_id: record.taskId,
    run_id: runId,
    step_name: record.name,
    step_index: record.index,
    status: record.status,
    attempt: record.attempt,
    agent: record.agent,
    action: record.action,
    input: record.input ?? null,
    output: record.output ?? null,
    error: record.error,
    started_at: record.startedAt === null ? null : new Date(record.startedAt).toISOString(),
    finished_at: record.finishedAt === null ? null : new Date(record.finishedAt).toISOString(),
    path: record.key,
    kind: record.kind,
    frame: record.frame,
    workflow: record.workflow,
    seq: record.seq,
    meta: Object.keys(meta).length > 0 ? meta : null,
  };
}
