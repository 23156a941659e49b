import { Module } from '@nestjs/common';
import { DeploymentStatuses } from '../provisioning/kubernetes/deployment-statuses';
import { HttpRuntime } from '../runtimes/http/http.runtime';
import { LlmRuntime } from '../runtimes/llm/llm.runtime';
import { PullRuntime } from '../runtimes/pull/pull.runtime';
import { RulesRuntime } from '../runtimes/rules/rules.runtime';
import { Runtimes } from '../runtimes/runtimes';
import { VaultSecrets } from '../runtimes/vault-secrets';
import { JsonSchemas } from '../tasks/json-schemas';
import { AgentChanges } from './agent-changes';
import { AgentTaskTopics } from './agent-task-topics';
import { AgentSpecValidator } from './agent-spec.validator';
import { AgentsConsumer } from './agents.consumer';
import { AgentsRepository } from './agents.repository';
import { DecommissionAgentUseCase } from './decommission-agent.usecase';
import { PatchAgentUseCase } from './patch-agent.usecase';
import { RegisterAgentUseCase } from './register-agent.usecase';

@Module({
  providers: [
    AgentsRepository,
    AgentChanges,
    JsonSchemas,
    RulesRuntime,
    VaultSecrets,
    HttpRuntime,
    LlmRuntime,
    PullRuntime,
    Runtimes,
    AgentSpecValidator,
    RegisterAgentUseCase,
    PatchAgentUseCase,
    DecommissionAgentUseCase,
    AgentsConsumer,
    DeploymentStatuses,
    AgentTaskTopics,
  ],
  exports: [AgentsRepository, AgentChanges, JsonSchemas, Runtimes, PullRuntime],
})
export class AgentsModule {}
