import { isObject, NAME_PATTERN, type FieldError } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import canonicalize from 'canonicalize';
import {
  httpUrlErrors,
  secretNameErrors,
  TaskFailure,
  type AgentRuntime,
  type RuntimeCall,
} from '../agent-runtime';
import { fetchJson } from '../http/fetch-json';
import { VaultSecrets } from '../vault-secrets';
import type { CallScope } from './recorded-calls';
import { limitsErrors, type LlmLimits } from './llm-budget';
import { LlmBudgets } from './llm-budgets';
import { isMcpToolEntry, mcpFunctionName, parseMcpToolRef, type McpToolRef } from './mcp-tool-ref';
import { McpToolsClient, type McpToolDescription } from './mcp-tools.client';
import { ModelCalls } from './model-calls';
import { ToolCalls } from './tool-calls';
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
  type ToolCall,
  type ToolSpec,
} from './llm.protocol';

const DEFAULT_TOOL_ROUNDS = 5;
/** Tools one agent may be given: each is described to the model on every call. */
const MAX_TOOLS = 64;

/** What a function the model may call runs: another agent, or an MCP tool of a connection. */
type OfferedTool = { kind: 'agent'; agent: string } | { kind: 'mcp'; ref: McpToolRef };

/**
 * The `llm` runtime: an agent defined by a model endpoint (any
 * OpenAI-compatible chat completions API), a system prompt and an output
 * schema. The answer must be one JSON object; it is validated against the
 * output schema like any agent's. Agents named in `config.tools` are offered
 * as functions; a call runs that agent as an ordinary task and hands its
 * output back to the model. `mcp:<connection>/<tool>` entries offer a tool of
 * the workspace's MCP connection with its input schema, called through
 * integration-manager and recorded like model calls (ADR 0040). The API key is the secret of the workspace's vault
 * named by `api_key_secret`, fetched at call time: never stored, logged or returned.
 */
@Injectable()
export class LlmRuntime implements AgentRuntime {
  readonly name = 'llm';

  constructor(
    private readonly vault: VaultSecrets,
    private readonly modelCalls: ModelCalls,
    private readonly budgets: LlmBudgets,
    private readonly mcpTools: McpToolsClient,
    private readonly toolCalls: ToolCalls,
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
    for (const field of ['json_mode', 'record'] as const) {
      if (config[field] !== undefined && typeof config[field] !== 'boolean') {
        errors.push({ field: `config.${field}`, message: 'must be true or false' });
      }
    }
    if (config.record === false && config.budget !== undefined) {
      errors.push({
        field: 'config.record',
        message:
          'an agent that does not record its calls cannot have a budget: budgets count recorded calls',
      });
    }
    errors.push(...toolEntryErrors(config.tools));
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

  /** The MCP connections and tools `config.tools` names exist in the workspace. */
  workspaceConfigErrors(
    workspaceId: string,
    config: Record<string, unknown>,
  ): Promise<FieldError[]> {
    return this.mcpTools.configErrors(workspaceId, config.tools);
  }

  async run(call: RuntimeCall): Promise<unknown> {
    const config = call.agent.config as unknown as LlmConfig;
    const headers: Record<string, string> = config.api_key_secret
      ? {
          authorization: `Bearer ${await this.vault.resolve(call.agent.workspaceId, config.api_key_secret)}`,
        }
      : {};
    const { specs: tools, offered } = await this.tools(call, config);
    const messages: ChatMessage[] = [
      { role: 'system', content: systemPrompt(config, call.agent.outputSchema) },
      { role: 'user', content: userMessage(call.input) },
    ];
    const url = completionsUrl(config.base_url);
    const rounds = config.max_tool_rounds ?? DEFAULT_TOOL_ROUNDS;
    const record = config.record !== false;
    for (let round = 0; ; round++) {
      const body = requestBody(config, messages, round < rounds ? tools : []);
      const answer = await this.modelCalls.complete(
        scopeOf(call),
        round,
        body,
        record,
        async () => {
          // Only a call that would really be made is held to the budget; a recorded answer is free.
          await this.budgets.check(scopeOf(call), budgetOf(call), record);
          const fetched = await fetchJson(
            url,
            { body, headers, signal: call.signal },
            `the model endpoint ${url}`,
          );
          return fetched.json;
        },
      );
      const completion = readCompletion(answer);
      if (completion.kind === 'garbage') {
        await this.discard(call);
        throw new TaskFailure(
          'system_error',
          `the model endpoint answered garbage: ${completion.reason}`,
        );
      }
      if (completion.kind === 'answer') {
        const parsed = parseJsonContent(completion.content);
        if (!parsed.ok) {
          await this.discard(call);
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
      const refused = completion.calls.find((c) => !offered.has(c.function.name));
      if (refused) {
        // A tool the agent was not given is refused, whatever the model believes it has.
        await this.discard(call);
        throw new TaskFailure(
          'guardrail',
          `the model called '${refused.function.name}', a tool it was not given`,
        );
      }
      messages.push(completion.message);
      for (const [index, toolCall] of completion.calls.entries()) {
        const tool = offered.get(toolCall.function.name)!;
        const answer =
          tool.kind === 'agent'
            ? await this.runAgentTool(call, tool.agent, toolCall)
            : await this.runMcpTool(call, tool.ref, toolCall, { round, index }, record);
        // MCP answers in canonical JSON: one read back from the record (jsonb orders keys its
        // own way) must make the same next request as the first, or the model would be asked again.
        const content = tool.kind === 'mcp' ? canonicalize(answer) : JSON.stringify(answer);
        messages.push({ role: 'tool', tool_call_id: toolCall.id, content: content ?? 'null' });
      }
    }
  }

  /** The answers of this attempt were unusable: a retry asks the model and the tools again. */
  private async discard(call: RuntimeCall): Promise<void> {
    await this.modelCalls.discard(scopeOf(call));
    await this.toolCalls.discard(scopeOf(call));
  }

  /**
   * The functions offered to the model, by the name it calls them: agents
   * that exist and MCP tools their connection still lists (a tool gone since
   * registration is not offered, as an agent decommissioned is not).
   */
  private async tools(
    call: RuntimeCall,
    config: LlmConfig,
  ): Promise<{ specs: ToolSpec[]; offered: Map<string, OfferedTool> }> {
    const specs: ToolSpec[] = [];
    const offered = new Map<string, OfferedTool>();
    const listed = new Map<string, Promise<Map<string, McpToolDescription>>>();
    for (const [position, entry] of (config.tools ?? []).entries()) {
      if (isMcpToolEntry(entry)) {
        const parsed = parseMcpToolRef(entry);
        if (!parsed.ok) continue;
        const { ref } = parsed;
        if (!listed.has(ref.connection)) {
          listed.set(ref.connection, this.listMcpTools(call, ref.connection));
        }
        const tool = (await listed.get(ref.connection)!).get(ref.tool);
        if (!tool) continue;
        const name = mcpFunctionName(ref, position);
        specs.push(toolSpec(name, tool.description || `MCP tool ${entry}`, tool.inputSchema));
        offered.set(name, { kind: 'mcp', ref });
      } else {
        const agent = await call.describeAgent(entry);
        if (!agent) continue;
        specs.push(toolSpec(entry, agent.description, agent.inputSchema));
        offered.set(entry, { kind: 'agent', agent: entry });
      }
    }
    return { specs, offered };
  }

  private async listMcpTools(
    call: RuntimeCall,
    connection: string,
  ): Promise<Map<string, McpToolDescription>> {
    try {
      return await this.mcpTools.describe(call.agent.workspaceId, connection);
    } catch (error) {
      // Retried like any system error: integration-manager or the server may be back by then.
      throw new TaskFailure(
        'system_error',
        `the tools of MCP connection '${connection}' cannot be listed: ${(error as Error).message}`,
      );
    }
  }

  /** A failing tool is reported back to the model as an error, which it may work around. */
  private async runAgentTool(
    call: RuntimeCall,
    name: string,
    toolCall: ToolCall,
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

  /** Through integration-manager's connection, answered from the record where it has the call. */
  private async runMcpTool(
    call: RuntimeCall,
    ref: McpToolRef,
    toolCall: ToolCall,
    place: { round: number; index: number },
    record: boolean,
  ): Promise<unknown> {
    const args = parseArguments(toolCall);
    if (!args.ok) return { error: args.reason };
    if (!isObject(args.value)) return { error: 'the arguments must be a JSON object' };
    const input = args.value;
    try {
      return await this.toolCalls.call(
        scopeOf(call),
        place,
        `${ref.connection}/${ref.tool}`,
        input,
        record,
        () => this.mcpTools.call(call.agent.workspaceId, ref, input, call.deadline),
      );
    } catch (error) {
      if (call.signal.aborted) throw error;
      return { error: (error as Error).message };
    }
  }
}

/** Agent names and `mcp:<connection>/<tool>` entries, each named by its index when wrong. */
function toolEntryErrors(tools: unknown): FieldError[] {
  if (tools === undefined) return [];
  if (!Array.isArray(tools)) {
    return [{ field: 'config.tools', message: 'must be a list of agent names and mcp: tools' }];
  }
  if (tools.length > MAX_TOOLS) {
    return [{ field: 'config.tools', message: `must name at most ${MAX_TOOLS} tools` }];
  }
  const errors: FieldError[] = [];
  for (const [index, entry] of tools.entries()) {
    const field = `config.tools[${index}]`;
    if (typeof entry !== 'string') {
      errors.push({ field, message: 'must be an agent name or mcp:<connection>/<tool>' });
    } else if (isMcpToolEntry(entry)) {
      const parsed = parseMcpToolRef(entry);
      if (!parsed.ok) errors.push({ field, message: parsed.reason });
    } else if (!NAME_PATTERN.test(entry)) {
      errors.push({ field, message: 'must be an agent name or mcp:<connection>/<tool>' });
    }
  }
  return errors;
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
