import type { FlowRunView, FlowStepView } from '@baton/contracts';
import { traceIdOf } from '@baton/kafka';
import type { RunEntity } from './run.entity';
import type { StepExecutionEntity } from './step-execution.entity';

export function toRunView(run: RunEntity, executions: StepExecutionEntity[]): FlowRunView {
  return {
    id: run.id,
    workflow: run.workflow,
    workflow_version: run.workflowVersion,
    status: run.status,
    input: run.input,
    output: run.output ?? null,
    error: run.error ? { type: run.error.type, message: run.error.message } : null,
    steps: executions.map(toStepView),
    created_at: run.createdAt.toISOString(),
    updated_at: run.updatedAt.toISOString(),
    finished_at: run.finishedAt?.toISOString() ?? null,
    parent_run_id: run.parentRunId ?? null,
    trace_id: traceIdOf(run.traceparent),
  };
}

function toStepView(execution: StepExecutionEntity): FlowStepView {
  const started = execution.startedAt;
  const finished = execution.finishedAt;
  const parkedWorkflow =
    execution.meta?.parked_by?.kind === 'workflow' ? execution.meta.parked_by.workflow : null;
  return {
    name: execution.stepName,
    path: execution.path,
    kind: execution.kind,
    status: execution.status,
    agent: execution.agent,
    action: execution.action,
    workflow: execution.workflow ?? parkedWorkflow,
    attempts: execution.attempt,
    input: execution.input ?? null,
    output: execution.output ?? null,
    error: execution.error
      ? { type: execution.error.type, message: execution.error.message }
      : null,
    started_at: started?.toISOString() ?? null,
    finished_at: finished?.toISOString() ?? null,
    duration_ms: started && finished ? finished.getTime() - started.getTime() : null,
    ...(execution.childRunId !== undefined ? { child_run_id: execution.childRunId } : {}),
    waiting_for: execution.status === 'waiting' ? (execution.meta?.waiting_for ?? null) : null,
  };
}
