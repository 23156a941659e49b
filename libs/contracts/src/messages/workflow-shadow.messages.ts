import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsInt,
  IsString,
  IsOptional,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { NAME_PATTERN } from './agent.messages';

/**
 * Shadow runs (ADR 0039): a candidate workflow version run in memory on past
 * runs' inputs, every answer taken from those runs' records or mocked, and
 * compared with what the live version did.
 */
export const WorkflowShadowMessageTypes = {
  shadow: 'baton.workflow.versions.shadow',
} as const;

/** The most source runs one shadow request compares; a larger sample is several windows. */
export const MAX_SHADOW_RUNS = 100;

/** What a shadow run replays: past runs of the workflow, or stored events. */
export const SHADOW_SOURCES = ['runs', 'events'] as const;
export type ShadowSource = (typeof SHADOW_SOURCES)[number];

/** `POST /v1/workflows/{name}/versions/{version}/shadow`. */
export class ShadowWorkflowCommand {
  @Matches(NAME_PATTERN, { message: 'name must be a workflow name' })
  name!: string;

  @IsInt()
  @Min(1)
  version!: number;

  /** These finished runs of the workflow (in the caller's workspace); not with since/until. */
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_SHADOW_RUNS, { message: `run_ids must list at most ${MAX_SHADOW_RUNS} runs` })
  @IsUUID('all', { each: true, message: 'run_ids must be run ids' })
  run_ids?: string[];

  /**
   * `runs` (the default): past runs' inputs. `events`: stored events, each the
   * candidate's input as its event trigger would make it (implied by
   * `event_ids` or `event_type`).
   */
  @IsOptional()
  @IsIn(SHADOW_SOURCES, { message: `source must be one of ${SHADOW_SOURCES.join(', ')}` })
  source?: ShadowSource;

  /** These stored events of the caller's workspace; not with since/until/limit. */
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_SHADOW_RUNS, {
    message: `event_ids must list at most ${MAX_SHADOW_RUNS} events`,
  })
  @IsString({ each: true, message: 'event_ids must be event ids' })
  @MaxLength(200, { each: true, message: 'event_ids must be event ids' })
  event_ids?: string[];

  /**
   * Stored events of this type (`*` matches any run of characters); by default
   * the type of the candidate's own event trigger.
   */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  event_type?: string;

  /** Finished runs created (stored events whose time is) at or after this instant (ISO 8601). */
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'since must be an ISO 8601 date-time' })
  since?: string;

  /** Finished runs created (stored events whose time is) before this instant (ISO 8601). */
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'until must be an ISO 8601 date-time' })
  until?: string;

  /** Without a list: the newest this many finished runs (stored events) in the window (default 20). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_SHADOW_RUNS, { message: `limit must be at most ${MAX_SHADOW_RUNS}` })
  limit?: number;
}

/** `no_live_run`: an event no finished live run of the workflow was started by; nothing to compare. */
export type ShadowVerdictView = 'same' | 'differs' | 'failed' | 'no_live_run';

/** How a run or a step ended, on one side. Values longer than 512 characters of JSON are clipped. */
export interface ShadowOutcomeView {
  status: string;
  output: unknown;
  error: { type: string; message: string } | null;
}

export interface ShadowStepDifferenceView {
  path: string;
  live: ShadowOutcomeView | null;
  candidate: ShadowOutcomeView | null;
  /** `recorded`: the live step's answer to the same request; `not_recorded`: a null stand-in, no call made. */
  answer?: 'recorded' | 'not_recorded';
}

export interface ShadowRunView {
  /** The live run compared with; null when no finished live run was started by the event. */
  run_id: string | null;
  /** The stored event the candidate ran on (source `events`). */
  event_id?: string;
  /** null with `no_live_run`. */
  live_version: number | null;
  verdict: ShadowVerdictView;
  /** Only for `failed`: why the candidate could not be run on this input. */
  reason?: string;
  live?: ShadowOutcomeView;
  candidate?: ShadowOutcomeView;
  /** The first position, in the order steps ran, where the two runs ran different steps. */
  path_differs_at?: { index: number; live: string | null; candidate: string | null } | null;
  step_differences?: ShadowStepDifferenceView[];
  step_differences_omitted?: number;
  answers?: { recorded: number; not_recorded: number };
}

export interface ShadowReportView {
  workflow: string;
  version: number;
  source: ShadowSource;
  counts: { runs: number; same: number; differs: number; failed: number; no_live_run: number };
  runs: ShadowRunView[];
}
