import { AgentMetricsSampleHandler } from '../stats/agent-metrics-sample.handlers';
import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { CallbackDelivery } from '../callbacks/callback-delivery';
import { ProcessProvisioner } from '../provisioning/process-provisioner';
import { BridgeSupervisor } from '../runtimes/bridge.supervisor';
import { BridgedTaskRunner } from '../runtimes/bridged-task.runner';
import { PullTasksRepository } from '../runtimes/pull/pull-tasks.repository';
import { CircuitBreakers } from '../runtimes/circuit-breakers';
import { AgentMetrics } from '../stats/agent-metrics';
import { AgentObservationHandlers } from '../stats/agent-observation.handlers';
import { ResultStatsBuffer } from '../stats/result-stats.buffer';
import { PostgresResultStatsWriter, ResultStatsWriter } from '../stats/result-stats.writer';
import { AgentCalls } from './agent-calls';
import { CreateTaskUseCase } from './create-task.usecase';
import { FinishTaskUseCase } from './finish-task.usecase';
import { InvocationsConsumer } from './invocations.consumer';
import { LifecyclePoller } from './lifecycle.poller';
import { PullCommands } from './pull-commands.handlers';
import { TaskCommands } from './task-commands.handlers';
import { TaskResultsConsumer } from './task-results.consumer';
import { TaskWaiters } from './task-waiters';
import { TasksRepository } from './tasks.repository';

/** Tasks: invoke, submit, callbacks, results, the runtimes agent-manager executes, lifecycle. */
@Module({
  imports: [AgentsModule],
  providers: [
    TasksRepository,
    TaskWaiters,
    CallbackDelivery,
    FinishTaskUseCase,
    CircuitBreakers,
    PullTasksRepository,
    BridgedTaskRunner,
    CreateTaskUseCase,
    AgentCalls,
    InvocationsConsumer,
    TaskCommands,
    PullCommands,
    AgentMetrics,
    { provide: ResultStatsWriter, useClass: PostgresResultStatsWriter },
    ResultStatsBuffer,
    TaskResultsConsumer,
    BridgeSupervisor,
    LifecyclePoller,
    AgentObservationHandlers,
    AgentMetricsSampleHandler,
    ProcessProvisioner,
  ],
})
export class TasksModule {}
