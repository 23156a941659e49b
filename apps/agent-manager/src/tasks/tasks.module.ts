import { AgentMetricsSampleHandler } from '../stats/agent-metrics-sample.handlers';
import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { CallbackDelivery } from '../callbacks/callback-delivery';
import { ProcessProvisioner } from '../provisioning/process-provisioner';
import { ProvisionedAgentsRepository } from '../provisioning/provisioned-agents.repository';
import { BridgeSupervisor } from '../runtimes/bridge.supervisor';
import { BridgedTaskRunner } from '../runtimes/bridged-task.runner';
import { PullTasksRepository } from '../runtimes/pull/pull-tasks.repository';
import { CircuitBreakers } from '../runtimes/circuit-breakers';
import { AgentMetrics } from '../stats/agent-metrics';
import { AgentObservationHandlers } from '../stats/agent-observation.handlers';
import { ResultStatsBuffer } from '../stats/result-stats.buffer';
import { AgentStatsRepository } from '../stats/agent-stats.repository';
import { ResultStatsWriter } from '../stats/result-stats.writer';
import { TaskCallbacksRepository } from '../callbacks/task-callbacks.repository';
import { InstancesModule } from '../instances/instances.module';
import { AgentCalls } from './agent-calls';
import { CreateTaskUseCase } from './create-task.usecase';
import { FinishTaskUseCase } from '../task-outcomes/finish-task.usecase';
import { InvocationsConsumer } from './invocations.consumer';
import { LifecyclePoller } from './lifecycle.poller';
import { PullCommands } from './pull-commands.handlers';
import { TaskCommands } from './task-commands.handlers';
import { TaskResultsConsumer } from './task-results.consumer';
import { TaskWaiters } from '../task-outcomes/task-waiters';
import { TasksRepository } from '../task-model/tasks.repository';

/** Tasks: invoke, submit, callbacks, results, the runtimes agent-manager executes, lifecycle. */
@Module({
  imports: [AgentsModule, InstancesModule],
  providers: [
    TasksRepository,
    TaskWaiters,
    TaskCallbacksRepository,
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
    AgentStatsRepository,
    { provide: ResultStatsWriter, useExisting: AgentStatsRepository },
    ResultStatsBuffer,
    TaskResultsConsumer,
    BridgeSupervisor,
    LifecyclePoller,
    AgentObservationHandlers,
    AgentMetricsSampleHandler,
    ProvisionedAgentsRepository,
    ProcessProvisioner,
  ],
})
export class TasksModule {}
