import { NAME_PATTERN } from '@baton/contracts';

/**
 * `mcp:<connection>/<tool>` in an llm agent's `config.tools`: a tool of the
 * workspace's MCP connection, offered to the model beside agent names.
 */
export interface McpToolRef {
  connection: string;
  tool: string;
}

const PREFIX = 'mcp:';
/** MCP tool names as servers list them (letters, digits, `_ - .`), bounded. */
const TOOL_PATTERN = /^[A-Za-z0-9_.-]{1,128}$/;
/** What OpenAI-compatible servers accept as a function name. */
const FUNCTION_NAME_MAX = 64;

export function isMcpToolEntry(entry: string): boolean {
  return entry.startsWith(PREFIX);
}

/** The connection and tool an entry names, or why it names none. */
export function parseMcpToolRef(
  entry: string,
): { ok: true; ref: McpToolRef } | { ok: false; reason: string } {
  const body = entry.slice(PREFIX.length);
  const slash = body.indexOf('/');
  const connection = slash < 0 ? body : body.slice(0, slash);
  const tool = slash < 0 ? '' : body.slice(slash + 1);
  if (!NAME_PATTERN.test(connection)) {
    return { ok: false, reason: 'must be mcp:<connection>/<tool> with a connection name' };
  }
  if (!TOOL_PATTERN.test(tool)) {
    return { ok: false, reason: 'must be mcp:<connection>/<tool> with a tool name' };
  }
  return { ok: true, ref: { connection, tool } };
}

/**
 * The function name the model sees: `<connection>__<tool>`, which fits the
 * `^[a-zA-Z0-9_-]{1,64}$` function names of chat completion APIs (dots become
 * underscores; a long name is cut and keeps its position so two tools differ).
 */
export function mcpFunctionName(ref: McpToolRef, position: number): string {
  const name = `${ref.connection}__${ref.tool}`.replace(/[^A-Za-z0-9_-]/g, '_');
  if (name.length <= FUNCTION_NAME_MAX) return name;
  const suffix = `_${position}`;
  return name.slice(0, FUNCTION_NAME_MAX - suffix.length) + suffix;
}
