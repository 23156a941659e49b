import { isObject } from '@baton/contracts';
/**
 * The OpenAI-compatible chat completions subset the `llm` runtime speaks:
 * building the request (system prompt, JSON answers, tools) and reading the
 * answer. Pure functions; the runtime does the HTTP.
 */

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string | null;
  tool_calls?: ToolCall[];
  tool_call_id?: string;
}

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface ToolSpec {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

export interface LlmConfig {
  base_url: string;
  model: string;
  system_prompt?: string;
  temperature?: number;
  max_tokens?: number;
  /** Ask for response_format json_object (default true; some servers do not support it). */
  json_mode?: boolean;
  tools?: string[];
  max_tool_rounds?: number;
  api_key_secret?: string;
  /**
   * false: this agent's model and tool calls are neither recorded nor reused
   * (prompts that must not be stored). Default true. Such an agent cannot be
   * held to a budget, since budgets count recorded calls.
   */
  record?: boolean;
}

export type Completion =
  | { kind: 'answer'; content: string }
  | { kind: 'tools'; message: ChatMessage; calls: ToolCall[] }
  | { kind: 'garbage'; reason: string };

export function completionsUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/chat/completions`;
}

/** The system prompt, plus what Baton needs: one JSON object, shaped by the output schema. */
export function systemPrompt(
  config: LlmConfig,
  outputSchema: Record<string, unknown> | null,
): string {
  const lines = [config.system_prompt?.trim() || 'You are a helpful agent.'];
  lines.push('Answer with one JSON object and nothing else.');
  if (outputSchema)
    lines.push(`The object must match this JSON Schema: ${JSON.stringify(outputSchema)}`);
  return lines.join('\n\n');
}

export function userMessage(input: unknown): string {
  return typeof input === 'string' ? input : JSON.stringify(input ?? null);
}

export function requestBody(
  config: LlmConfig,
  messages: ChatMessage[],
  tools: ToolSpec[],
): Record<string, unknown> {
  return {
    model: config.model,
    messages,
    ...(config.temperature !== undefined ? { temperature: config.temperature } : {}),
    ...(config.max_tokens !== undefined ? { max_tokens: config.max_tokens } : {}),
    ...(config.json_mode === false ? {} : { response_format: { type: 'json_object' } }),
    ...(tools.length > 0 ? { tools, tool_choice: 'auto' } : {}),
  };
}

export function toolSpec(
  name: string,
  description: string | null,
  inputSchema: Record<string, unknown> | null,
): ToolSpec {
  return {
    type: 'function',
    function: {
      name,
      description: description ?? `The Baton agent '${name}'`,
      parameters: inputSchema ?? { type: 'object', additionalProperties: true },
    },
  };
}

/** Reads choices[0].message: tool calls to run, or the final content. */
export function readCompletion(json: unknown): Completion {
  if (!isObject(json) || !Array.isArray(json.choices) || json.choices.length === 0) {
    return { kind: 'garbage', reason: 'the answer has no choices' };
  }
  const choice = json.choices[0] as unknown;
  if (!isObject(choice) || !isObject(choice.message)) {
    return { kind: 'garbage', reason: 'the first choice has no message' };
  }
  const message = choice.message;
  const calls = Array.isArray(message.tool_calls) ? message.tool_calls.filter(isToolCall) : [];
  if (calls.length > 0) {
    return {
      kind: 'tools',
      calls,
      message: {
        role: 'assistant',
        content: typeof message.content === 'string' ? message.content : null,
        tool_calls: calls,
      },
    };
  }
  if (typeof message.content !== 'string' || message.content.trim() === '') {
    return { kind: 'garbage', reason: 'the message has no content' };
  }
  return { kind: 'answer', content: message.content };
}

function isToolCall(value: unknown): value is ToolCall {
  return (
    isObject(value) &&
    typeof value.id === 'string' &&
    isObject(value.function) &&
    typeof value.function.name === 'string' &&
    typeof value.function.arguments === 'string'
  );
}

/** The model's content as JSON: a bare object, or one inside a ```json fence. */
export function parseJsonContent(
  content: string,
): { ok: true; value: unknown } | { ok: false; reason: string } {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(content);
  const text = (fenced ? fenced[1] : content).trim();
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return {
      ok: false,
      reason: `the model's answer is not JSON: ${JSON.stringify(content.slice(0, 160))}`,
    };
  }
}

/** A tool call's arguments, which models sometimes get wrong: an error the model can read back. */
export function parseArguments(
  call: ToolCall,
): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (call.function.arguments.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(call.function.arguments) as unknown };
  } catch {
    return { ok: false, reason: 'the arguments are not JSON' };
  }
}
