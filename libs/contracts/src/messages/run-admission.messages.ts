import { Matches } from 'class-validator';
import { WORKSPACE_ID_PATTERN } from '../envelope/envelope.schema';
import { IntBetween } from '../fields';

/**
 * A workspace's own run admission limit (ADR 0041): how many of its runs may
 * be `running` at once, in place of the engine's
 * RUN_ADMISSION_ACTIVE_RUNS_PER_WORKSPACE. Set by platform admins
 * (`/v1/workspaces/{id}/run-admission`), stored and enforced by the engine.
 */
export const RunAdmissionMessageTypes = {
  get: 'baton.workflow.admission.get',
  set: 'baton.workflow.admission.set',
  reset: 'baton.workflow.admission.reset',
} as const;

/** The most a workspace's limit may be set to; 0 is no limit. */
export const MAX_ACTIVE_RUNS = 1_000_000;

export class RunAdmissionQuery {
  @Matches(WORKSPACE_ID_PATTERN, { message: 'workspace_id must be a workspace slug' })
  workspace_id!: string;
}

/** `PUT /v1/workspaces/{id}/run-admission`: `{ active_runs }`, 0 for no limit. */
export class RunAdmissionBody {
  @IntBetween(0, MAX_ACTIVE_RUNS)
  active_runs!: number;
}

export class SetRunAdmissionCommand extends RunAdmissionBody {
  @Matches(WORKSPACE_ID_PATTERN, { message: 'workspace_id must be a workspace slug' })
  workspace_id!: string;
}

export interface RunAdmissionView {
  workspace_id: string;
  /** The workspace's own limit; null when it takes the default. 0 is no limit. */
  active_runs: number | null;
  /** The engine's RUN_ADMISSION_ACTIVE_RUNS_PER_WORKSPACE (0 is no limit). */
  default_active_runs: number;
  /** What is in force: `active_runs` if set, otherwise the default (0 is no limit). */
  effective_active_runs: number;
}
