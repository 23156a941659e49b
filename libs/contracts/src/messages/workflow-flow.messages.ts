import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { NAME_PATTERN } from './agent.messages';
import type { RunView, StepView } from './workflow.messages';
import { OptionalObject } from '../fields';

/** Commands of the engine's control-flow features (request/reply on baton.workflow.commands). */
export const FlowMessageTypes = {
  workflowTest: 'baton.workflow.test',
} as const;

/** Lifecycle events of nested execution, besides WorkflowEventTypes (key: the run id). */
export const FlowEventTypes = {
  runCancelled: 'workflow.run.cancelled',
  stepSkipped: 'workflow.step.skipped',
  stepWaiting: 'workflow.step.waiting',
  stepCancelled: 'workflow.step.cancelled',
  /** notify-admin: a step failed and an administrator should know. */
  alert: 'workflow.alert',
  /** escalate: a failed step waits for a human or an escalation agent. */
  escalationRequested: 'workflow.escalation.requested',
  /** Send this (subject or correlation id = the run id) to resume an escalated step with its data. */
  escalationResolved: 'workflow.escalation.resolved',
} as const;

/** `POST /v1/workflows/{name}/test`: a dry run with mocked step answers. */
export class TestWorkflowCommand {
  @Matches(NAME_PATTERN, { message: 'name must be a workflow name' })
  name!: string;

  /**
   * The workflow's YAML as it is being edited (the designer's unsaved text),
   * dry-run instead of the active version; it must name this workflow.
   */
  @IsOptional()
  @IsString()
  @MaxLength(1_000_000)
  yaml?: string;

  @OptionalObject()
  input?: Record<string, unknown>;

  /** By step name: `{ output }`, `{ error: { type, message } }`, or a list of those, one per call. */
  @OptionalObject()
  mocks?: Record<string, unknown>;

  /** Compared with the dry run's result: `{ status?, output? }`. */
  @OptionalObject()
  expect?: { status?: string; output?: unknown };
}

export interface TestStepView extends FlowStepView {
  /** Present when the step's answer came from a mock. */
  mocked?: boolean;
}

export interface WorkflowTestView {
  workflow: string;
  /** The active version dry-run, or null for the unsaved `yaml` of the request. */
  version: number | null;
  status: string;
  output: unknown;
  error: { type: string; message: string; step?: string } | null;
  steps: TestStepView[];
  /** Every decision of the dry run in order, with virtual time in ms. */
  trace: Record<string, unknown>[];
  /** Present when the request had `expect`. */
  expectations?: { passed: boolean; failures: string[] };
}

/** A step of a run with its position in nested control flow. */
export interface FlowStepView extends StepView {
  /** e.g. `classify`, `fan-out[1].fetch`, `each[3].charge`, `poll#2`. */
  path: string;
  kind: string;
  /** For a sub-workflow step (or one handed to a `workflow:` handler): the child run. */
  child_run_id?: string | null;
  workflow?: string | null;
  /** For a waiting step: the event it waits for. */
  waiting_for?: { type: string; correlation: string | null } | null;
}

export interface FlowRunView extends RunView {
  steps: FlowStepView[];
  /** Set for a sub-workflow's run: the run whose step started it. */
  parent_run_id: string | null;
  /** The run's OpenTelemetry trace id (32 hex digits), for a tracing tool; null when untraced. */
  trace_id: string | null;
}
