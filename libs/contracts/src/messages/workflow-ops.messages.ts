import { PagedQuery } from './pagination';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
} from 'class-validator';
import { NAME_PATTERN } from './agent.messages';
import type { WorkflowView } from './workflow.messages';
import { OptionalObject, OptionalText } from '../fields';

/**
 * Workflow versions, validation, triggers and run operations: the commands and
 * queries the gateway sends to the engine, and the lifecycle events they cause.
 */
export const WorkflowOpsMessageTypes = {
  versionList: 'baton.workflow.versions.list',
  versionGet: 'baton.workflow.versions.get',
  versionDiff: 'baton.workflow.versions.diff',
  versionActivate: 'baton.workflow.versions.activate',
  validate: 'baton.workflow.validate',
  runCancel: 'baton.run.cancel',
  runPause: 'baton.run.pause',
  runResume: 'baton.run.resume',
  runRetry: 'baton.run.retry',
  /** A new run of the same version and input that reuses the source run's recorded model answers. */
  runReplay: 'baton.run.replay',
} as const;

/** Lifecycle events besides WorkflowEventTypes, on baton.workflow.events. */
export const WorkflowOpsEventTypes = {
  runCancelled: 'workflow.run.cancelled',
  runPaused: 'workflow.run.paused',
  runResumed: 'workflow.run.resumed',
  runRetried: 'workflow.run.retried',
  /** A trigger matched but the run could not start (bad input, unknown agent): never silent. */
  triggerFailed: 'workflow.trigger.failed',
  versionActivated: 'workflow.version.activated',
} as const;

/** The run events after which nothing more happens unless someone retries the run. */
export const TERMINAL_RUN_EVENT_TYPES: readonly string[] = [
  'workflow.run.completed',
  'workflow.run.failed',
  WorkflowOpsEventTypes.runCancelled,
];

export class WorkflowVersionsQuery extends PagedQuery() {
  @Matches(NAME_PATTERN, { message: 'name must be a workflow name' })
  name!: string;
}

export class WorkflowVersionQuery {
  @Matches(NAME_PATTERN, { message: 'name must be a workflow name' })
  name!: string;

  @IsInt()
  @Min(1)
  version!: number;
}

export class WorkflowDiffQuery {
  @Matches(NAME_PATTERN, { message: 'name must be a workflow name' })
  name!: string;

  @IsInt()
  @Min(1)
  from!: number;

  @IsInt()
  @Min(1)
  to!: number;
}

/** `POST /v1/workflows/validate`: the document as YAML text or as the parsed JSON object. */
export class ValidateWorkflowCommand {
  @OptionalText(1_000_000)
  yaml?: string;

  @OptionalObject()
  document?: Record<string, unknown>;
}

export class RunOperationCommand {
  @IsUUID()
  run_id!: string;

  @OptionalText(1000)
  reason?: string;
}

/**
 * `POST /v1/runs/{id}/replay`: runs the run's workflow version again with its
 * input; recorded model answers of the source run are reused except for the
 * steps named in `refresh`, which ask the model again.
 */
export class ReplayRunCommand {
  @IsUUID()
  run_id!: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  refresh?: string[];
}

export interface WorkflowVersionSummary {
  version: number;
  active: boolean;
  description: string | null;
  trigger: unknown;
  created_at: string;
}

export interface WorkflowVersionPage {
  name: string;
  active_version: number;
  latest_version: number;
  items: WorkflowVersionSummary[];
  next_cursor: string | null;
}

/** One version with the document exactly as it was sent. */
export interface WorkflowVersionView extends WorkflowView {
  active: boolean;
  source: string;
}

export interface WorkflowDiffView {
  name: string;
  from: number;
  to: number;
  /** A unified diff (`--- v1` / `+++ v2` / `@@ ... @@` hunks) of the two sources. */
  diff: string;
  added: number;
  removed: number;
}

export interface ValidationProblemView {
  path: string;
  code: string;
  message: string;
  line: number | null;
  column: number | null;
}

export interface ValidationReportView {
  valid: boolean;
  errors: ValidationProblemView[];
  warnings: ValidationProblemView[];
}

/** What `${trigger}` holds in a run started by an event or a schedule. */
export interface ScheduleTriggerPayload {
  type: 'schedule';
  cron: string;
  timezone: string | null;
  scheduled_at: string;
  fired_at: string;
}
