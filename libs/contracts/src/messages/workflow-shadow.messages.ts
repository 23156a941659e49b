import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsISO8601,
  IsInt,
  IsOptional,
  IsUUID,
  Matches,
  Max,
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

  /** Finished runs created at or after this instant (ISO 8601). */
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'since must be an ISO 8601 date-time' })
  since?: string;

  /** Finished runs created before this instant (ISO 8601). */
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'until must be an ISO 8601 date-time' })
  until?: string;

  /** Without run_ids: the newest this many finished runs in the window (default 20). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_SHADOW_RUNS, { message: `limit must be at most ${MAX_SHADOW_RUNS}` })
  limit?: number;
}

export type ShadowVerdictView = 'same' | 'differs' | 'failed';

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
  run_id: string;
  live_version: number;
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
  counts: { runs: number; same: number; differs: number; failed: number };
  runs: ShadowRunView[];
}
