import { NAME_PATTERN, type FieldError } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import {
  httpUrlErrors,
  secretNameErrors,
  TaskFailure,
  type AgentRuntime,
  type RuntimeCall,
} from '../agent-runtime';
import { fetchJson } from '../http/fetch-json';
import { VaultSecrets } from '../vault-secrets';
import type { CallScope } from './llm-calls.repository';
import { limitsErrors, type LlmLimits } from './llm-budget';
import { LlmBudgets } from './llm-budgets';
import { ModelCalls } from './model-calls';
import {
  completionsUrl,
  parseArguments,
  parseJsonContent,
  readCompletion,
  requestBody,
  systemPrompt,
  toolSpec,
  userMessage,
  type ChatMessage,
  type LlmConfig,
  type ToolSpec,
} from './llm.protocol';

const DEFAULT_TOOL_ROUNDS = 5;

/**
 * The `llm` runtime: an agent defined by a model endpoint (any
 * OpenAI-compatible chat completions API), a system prompt and an output
 * schema. The answer must be one JSON object; it is validated against the
 * output schema like any agent's. Agents named in `config.tools` are offered
 * as functions; a call runs that agent as an ordinary task and hands its
 * output back to the model. The API key is the secret of the workspace's vault
 * named by `api_key_secret`, fetched at call time: never stored, logged or returned.
 */
@Injectable()
export class LlmRuntime implements AgentRuntime {
  readonly name = 'llm';

  constructor(
    private readonly vault: VaultSecrets,
    private readonly modelCalls: ModelCalls,
    private readonly budgets: LlmBudgets,
  ) {}

  configErrors(config: Record<string, unknown>): FieldError[] {
    const errors = httpUrlErrors('config.base_url', config.base_url);
    if (typeof config.model !== 'string' || config.model.trim() === '') {
      errors.push({ field: 'config.model', message: 'must name the model' });
    }
    if (config.system_prompt !== undefined && typeof config.system_prompt !== 'string') {
      errors.push({ field: 'config.system_prompt', message: 'must be text' });
    }
    for (const field of ['temperature', 'max_tokens', 'max_tool_rounds'] as const) {
      if (config[field] !== undefined && typeof config[field] !== 'number') {
        errors.push({ field: `config.${field}`, message: 'must be a number' });
      }
    }
    if (config.json_mode !== undefined && typeof config.json_mode !== 'boolean') {
      errors.push({ field: 'config.json_mode', message: 'must be true or false' });
    }
    if (config.tools !== undefined) {
      const tools = config.tools;
      if (
        !Array.isArray(tools) ||
        !tools.every((t) => typeof t === 'string' && NAME_PATTERN.test(t))
      ) {
        errors.push({ field: 'config.tools', message: 'must be a list of agent names' });
      }
    }
    if ('api_key' in config) {
      errors.push({
        field: 'config.api_key',
        message:
          "keys are not stored in configs: name a secret of the workspace's vault in api_key_secret",
      });
    }
    errors.push(...secretNameErrors('config.api_key_secret', config.api_key_secret));
    errors.push(...limitsErrors('config.budget', config.budget));
    return errors;
  }

  async run(call: RuntimeCall): Promise<unknown> {
    const config = call.agent.config as unknown as LlmConfig;
    const headers: Record<string, string> = config.api_key_secret
      ? {
          authorization: `Bearer ${await this.vault.resolve(call.agent.workspaceId, config.api_key_secret)}`,
        }
      : {};
    const tools = await this.tools(call, config);
    const messages: ChatMessage[] = [
      { role: 'system', content: systemPrompt(config, call.agent.outputSchema) },
      { role: 'user', content: userMessage(call.input) },
    ];
    const url = completionsUrl(config.base_url);
    const rounds = config.max_tool_rounds ?? DEFAULT_TOOL_ROUNDS;
    for (let round = 0; ; round++) {
      const body = requestBody(config, messages, round < rounds ? tools : []);
      const answer = await this.modelCalls.complete(scopeOf(call), round, body, async () => {
        // Only a call that would really be made is held to the budget; a recorded answer is free.
        await this.budgets.check(scopeOf(call), budgetOf(call));
        const fetched = await fetchJson(
          url,
          { body, headers, signal: call.signal },
          `the model endpoint ${url}`,
        );
        return fetched.json;
      });
      const completion = readCompletion(answer);
      if (completion.kind === 'garbage') {
        await this.modelCalls.discard(scopeOf(call));
        throw new TaskFailure(
          'system_error',
          `the model endpoint answered garbage: ${completion.reason}`,
        );
      }
      if (completion.kind === 'answer') {
        const parsed = parseJsonContent(completion.content);
        if (!parsed.ok) {
          await this.modelCalls.discard(scopeOf(call));
          throw new TaskFailure('guardrail', parsed.reason);
        }
        return parsed.value;
      }
      if (round >= rounds) {
        throw new TaskFailure(
          'system_error',
          `the model kept calling tools after ${rounds} rounds`,
        );
      }
      const refused = completion.calls.find((c) => !(config.tools ?? []).includes(c.function.name));
      if (refused) {
        // A tool the agent was not given is refused, whatever the model believes it has.
        await this.modelCalls.discard(scopeOf(call));
        throw new TaskFailure(
          'guardrail',
          `the model called '${refused.function.name}', a tool it was not given`,
        );
      }
      messages.push(completion.message);
      for (const toolCall of completion.calls) {
        messages.push({
          role: 'tool',
          tool_call_id: toolCall.id,
          content: JSON.stringify(await this.runTool(call, toolCall.function.name, toolCall)),
        });
      }
    }
  }

  private async tools(call: RuntimeCall, config: LlmConfig): Promise<ToolSpec[]> {
    const specs: ToolSpec[] = [];
    for (const name of config.tools ?? []) {
      const agent = await call.describeAgent(name);
      if (agent) specs.push(toolSpec(name, agent.description, agent.inputSchema));
    }
    return specs;
  }

  /** A failing tool is reported back to the model as an error, which it may work around. */
  private async runTool(
    call: RuntimeCall,
    name: string,
    toolCall: Parameters<typeof parseArguments>[0],
  ): Promise<unknown> {
    const args = parseArguments(toolCall);
    if (!args.ok) return { error: args.reason };
    try {
      return { output: await call.callAgent(name, args.value, call.signal) };
    } catch (error) {
      if (call.signal.aborted) throw error;
      return { error: (error as Error).message };
    }
  }
}

function scopeOf(call: RuntimeCall): CallScope {
  return {
    workspaceId: call.agent.workspaceId,
    taskId: call.taskId,
    runId: call.runId,
    step: call.step,
    attempt: call.attempt,
    agent: call.agent.name,
    agentVersion: call.agent.version,
  };
}

function budgetOf(call: RuntimeCall): LlmLimits | undefined {
  return (call.agent.config as { budget?: LlmLimits }).budget;
}
