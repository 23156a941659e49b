import { PagedQuery } from './pagination';
import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { NAME_PATTERN } from './agent.messages';
import { OptionalObject, OptionalText } from '../fields';

/** `POST /v1/workflows`: the workflow document either as YAML text or as the parsed JSON object. */
export class CreateWorkflowCommand {
  @OptionalText(1_000_000)
  yaml?: string;

  @OptionalObject()
  document?: Record<string, unknown>;
}

export class WorkflowNameQuery {
  @Matches(NAME_PATTERN, { message: 'name must be a workflow name' })
  name!: string;
}

export class StartRunCommand {
  @Matches(NAME_PATTERN, { message: 'workflow must be a workflow name' })
  workflow!: string;

  @OptionalObject()
  input?: Record<string, unknown>;

  @OptionalText(200)
  idempotency_key?: string;
}

export class RunIdQuery {
  @IsUUID()
  run_id!: string;
}

/**
 * What a run can be: `queued` waits for its workspace's admission (at most
 * RUN_ADMISSION_ACTIVE_RUNS_PER_WORKSPACE running, ADR 0041), `running`
 * dispatches steps, `paused` holds them; the other three are final.
 */
export const RUN_STATUSES = [
  'queued',
  'running',
  'paused',
  'completed',
  'failed',
  'cancelled',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export class ListRunsQuery extends PagedQuery() {
  @IsOptional()
  @Matches(NAME_PATTERN)
  workflow?: string;

  @IsOptional()
  @IsIn(RUN_STATUSES)
  status?: RunStatus;
}

export interface WorkflowView {
  name: string;
  version: number;
  description: string | null;
  trigger: unknown;
  /** The JSON Schema a run's input must match, when the workflow declares one. */
  input_schema?: Record<string, unknown> | null;
  steps: string[];
  created_at: string;
  warnings?: { field: string; message: string }[];
}

export interface StepView {
  name: string;
  status: string;
  agent: string | null;
  action: string | null;
  attempts: number;
  input: unknown;
  output: unknown;
  error: { type: string; message: string } | null;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
}

export interface RunView {
  id: string;
  workflow: string;
  workflow_version: number;
  status: RunStatus;
  input: unknown;
  output: unknown;
  error: { type: string; message: string } | null;
  steps: StepView[];
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

/** The data of every workflow.* event on baton.workflow.events (key: the run id). */
export interface WorkflowLifecycleEvent {
  run_id: string;
  workflow: string;
  workflow_version: number;
  status: string;
  step?: string;
  attempt?: number;
  output?: unknown;
  error?: { type: string; message: string };
}
