import { Module } from '@nestjs/common';
import { KnownAgentsModule } from '../known-agents/known-agents.module';
import { HeldWorkModule } from './store/held-work.module';
import { WorkflowsModule } from '../workflows/workflows.module';
import { ApplyTaskResultUseCase } from './apply-result/apply-task-result.usecase';
import { CachedResultDecisions } from './apply-result/cached-result-decisions';
import { EarlyEventsRepository } from './store/early-events.repository';
import { EventWaitsConsumer } from './resolve-wait/event-waits.consumer';
import { FireTimersUseCase } from './fire-timers/fire-timers.usecase';
import { InputSchemas } from '../workflows/input-schemas';
import { RedriveAgentSteps } from './execution/redrive-agent-steps';
import { RunCache } from './store/run-cache';
import { RunCommandsHandlers } from './start-run/run-commands.handlers';
import { EffectExecutor } from './execution/effect-executor';
import { RunProgress } from './execution/run-progress';
import { RunStarter } from './start-run/run-starter';
import { ResolveWaitUseCase } from './resolve-wait/resolve-wait.usecase';
import { RunFiguresRepository } from './store/run-figures.repository';
import { RunsRepository } from './store/runs.repository';
import { StartRunUseCase } from './start-run/start-run.usecase';
import { ReplayRunUseCase } from './start-run/replay-run.usecase';
import { TaskResultsConsumer } from './apply-result/task-results.consumer';
import { TimersPoller } from './fire-timers/timers.poller';
import { WorkflowDefinitions } from '../workflows/workflow-definitions';
import { WorkflowGauges } from './workflow-gauges';
import { AdmissionRepository } from './store/admission.repository';
import { RunsEnded } from './store/runs-ended';
import { RunAdmission } from './start-run/run-admission';
import { AdmitQueuedUseCase } from './start-run/admit-queued.usecase';
import { AdmissionPoller } from './start-run/admission.poller';
import { RunAdmissionHandlers } from './start-run/run-admission.handlers';

@Module({
  imports: [WorkflowsModule, KnownAgentsModule, HeldWorkModule],
  providers: [
    RunsRepository,
    EarlyEventsRepository,
    WorkflowDefinitions,
    InputSchemas,
    RunCache,
    EffectExecutor,
    RunProgress,
    RunStarter,
    RunsEnded,
    AdmissionRepository,
    RunAdmission,
    AdmitQueuedUseCase,
    AdmissionPoller,
    RunAdmissionHandlers,
    StartRunUseCase,
    ReplayRunUseCase,
    ResolveWaitUseCase,
    EventWaitsConsumer,
    CachedResultDecisions,
    ApplyTaskResultUseCase,
    FireTimersUseCase,
    TimersPoller,
    TaskResultsConsumer,
    RunCommandsHandlers,
    RedriveAgentSteps,
    RunFiguresRepository,
    WorkflowGauges,
  ],
  exports: [
    RunCommandsHandlers,
    // For run operations and triggers (runs/operations/, triggers/).
    StartRunUseCase,
    RunsRepository,
    RunProgress,
    WorkflowDefinitions,
  ],
})
export class RunsModule {}
