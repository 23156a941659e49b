import { Module } from '@nestjs/common';
import { KnownAgentsModule } from '../known-agents/known-agents.module';
import { HeldWorkModule } from '../run-operations/held-work.module';
import { WorkflowsModule } from '../workflows/workflows.module';
import { ApplyTaskResultUseCase } from './apply-task-result.usecase';
import { CachedResultDecisions } from './cached-result-decisions';
import { EarlyEventsRepository } from './early-events.repository';
import { EventWaitsConsumer } from './event-waits.consumer';
import { FireTimersUseCase } from './fire-timers.usecase';
import { InputSchemas } from './input-schemas';
import { RedriveAgentSteps } from './redrive-agent-steps';
import { RunCache } from './run-cache';
import { RunCommandsHandlers } from './run-commands.handlers';
import { RunProgress } from './run-progress';
import { RunStarter } from './run-starter';
import { ResolveWaitUseCase } from './resolve-wait.usecase';
import { RunsRepository } from './runs.repository';
import { StartRunUseCase } from './start-run.usecase';
import { TaskResultsConsumer } from './task-results.consumer';
import { TimersPoller } from './timers.poller';
import { WorkflowDefinitions } from './workflow-definitions';
import { WorkflowGauges } from './workflow-gauges';

@Module({
  imports: [WorkflowsModule, KnownAgentsModule, HeldWorkModule],
  providers: [
    RunsRepository,
    EarlyEventsRepository,
    WorkflowDefinitions,
    InputSchemas,
    RunCache,
    RunProgress,
    RunStarter,
    StartRunUseCase,
    ResolveWaitUseCase,
    EventWaitsConsumer,
    CachedResultDecisions,
    ApplyTaskResultUseCase,
    FireTimersUseCase,
    TimersPoller,
    TaskResultsConsumer,
    RunCommandsHandlers,
    RedriveAgentSteps,
    WorkflowGauges,
  ],
  exports: [
    RunCommandsHandlers,
    // For run operations and triggers (run-operations/, triggers/).
    StartRunUseCase,
    RunsRepository,
    RunProgress,
    WorkflowDefinitions,
  ],
})
export class RunsModule {}
