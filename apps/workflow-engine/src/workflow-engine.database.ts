import type { DatabaseOptions } from '@baton/database';
import { KnownAgentEntity } from './known-agents/known-agent.entity';
import { WorkflowEngine1732435200002 } from './migrations/1732435200002-workflow-engine';
import { ControlFlow1732435201000 } from './migrations/1732435201000-control-flow';
import { WorkflowOps1732435202000 } from './migrations/1732435202000-workflow-ops';
import { EarlyEvents1732435205000 } from './migrations/1732435205000-early-events';
import { RoomForHotUpdates1732435206000 } from './migrations/1732435206000-room-for-hot-updates';
import { RunsUnchanged1732435207000 } from './migrations/1732435207000-runs-unchanged';
import { RunTrace1732435225000 } from './migrations/1732435225000-run-trace';
import { RunsActive1732435290000 } from './migrations/1732435290000-runs-active';
import { RunReplays1732435327000 } from './migrations/1732435327000-run-replays';
import { QueuedRuns1732435400000 } from './migrations/1732435400000-queued-runs';
import { WorkspaceAdmission1732435410000 } from './migrations/1732435410000-workspace-admission';
import { RunEntity } from './runs/store/run.entity';
import { StepExecutionEntity } from './runs/store/step-execution.entity';
import { WorkflowEntity, WorkflowVersionEntity } from './workflows/workflow.entity';

/** The schema this service owns, its entities and migrations (also read by `npm run migrate`). */
export const DATABASE: DatabaseOptions = {
  schema: 'workflow_engine',
  entities: [
    WorkflowEntity,
    WorkflowVersionEntity,
    KnownAgentEntity,
    RunEntity,
    StepExecutionEntity,
  ],
  migrations: [
    WorkflowEngine1732435200002,
    ControlFlow1732435201000,
    WorkflowOps1732435202000,
    EarlyEvents1732435205000,
    RoomForHotUpdates1732435206000,
    RunsUnchanged1732435207000,
    RunTrace1732435225000,
    RunsActive1732435290000,
    RunReplays1732435327000,
    QueuedRuns1732435400000,
    WorkspaceAdmission1732435410000,
  ],
};
