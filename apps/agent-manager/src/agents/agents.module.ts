import { Module } from '@nestjs/common';
import { DeploymentStatuses } from '../provisioning/kubernetes/deployment-statuses.repository';
import { HttpRuntime } from '../runtimes/http/http.runtime';
import { LlmCallsRepository } from '../runtimes/llm/llm-calls.repository';
import { LlmCallsHandlers } from '../runtimes/llm/llm-calls.handlers';
import { LlmRuntime } from '../runtimes/llm/llm.runtime';
import { McpToolsClient } from '../runtimes/llm/mcp-tools.client';
import { ToolCalls } from '../runtimes/llm/tool-calls';
import { ToolCallsRepository } from '../runtimes/llm/tool-calls.repository';
import { PlatformRequests } from '../runtimes/platform-requests';
import { ModelCalls } from '../runtimes/llm/model-calls';
import { LlmBudgets } from '../runtimes/llm/llm-budgets';
import { LlmBudgetHandlers } from '../runtimes/llm/llm-budget.handlers';
import { PullRuntime } from '../runtimes/pull/pull.runtime';
import { RulesRuntime } from '../runtimes/rules/rules.runtime';
import { Runtimes } from '../runtimes/runtimes';
import { VaultSecrets } from '../runtimes/vault-secrets';
import { JsonSchemas } from '../agent-model/json-schemas';
import { AgentChanges } from '../agent-model/agent-changes';
import { AgentTaskTopics } from './agent-task-topics';
import { AgentSpecValidator } from './agent-spec.validator';
import { AgentCommandsHandlers } from './agent-commands.handlers';
import { AgentsRepository } from '../agent-model/agents.repository';
import { DecommissionAgentUseCase } from './decommission-agent.usecase';
import { PatchAgentUseCase } from './patch-agent.usecase';
import { RegisterAgentUseCase } from './register-agent.usecase';

@Module({
  providers: [
    AgentsRepository,
    AgentChanges,
    JsonSchemas,
    RulesRuntime,
    PlatformRequests,
    VaultSecrets,
    HttpRuntime,
    LlmCallsRepository,
    ModelCalls,
    McpToolsClient,
    ToolCallsRepository,
    ToolCalls,
    LlmBudgets,
    LlmBudgetHandlers,
    LlmRuntime,
    LlmCallsHandlers,
    PullRuntime,
    Runtimes,
    AgentSpecValidator,
    RegisterAgentUseCase,
    PatchAgentUseCase,
    DecommissionAgentUseCase,
    AgentCommandsHandlers,
    DeploymentStatuses,
    AgentTaskTopics,
  ],
  exports: [AgentsRepository, AgentChanges, JsonSchemas, Runtimes, LlmCallsRepository, PullRuntime],
})
export class AgentsModule {}
