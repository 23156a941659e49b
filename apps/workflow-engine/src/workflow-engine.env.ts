import { IntBetween } from '@baton/contracts';
import { DatabaseEnv } from '@baton/service-kit';

export class WorkflowEngineEnv extends DatabaseEnv {
  /**
   * Fairness between workspaces (ADR 0041): at most this many of a
   * workspace's runs are `running` at once; a start beyond it is stored as
   * `queued` and admitted, oldest first, as the workspace's runs end, so one
   * workspace's backlog never sits in front of another's runs. 0: no limit.
   */
  @IntBetween(0, 1_000_000)
  RUN_ADMISSION_ACTIVE_RUNS_PER_WORKSPACE: number = 200;
}
