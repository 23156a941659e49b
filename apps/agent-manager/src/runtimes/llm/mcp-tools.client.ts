import {
  DomainError,
  ErrorCodes,
  MessageTypes,
  Topics,
  type ConnectionOperationsView,
  type ConnectionToolResultView,
  type ConnectionView,
  type FieldError,
} from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { PlatformRequests } from '../platform-requests';
import { isMcpToolEntry, parseMcpToolRef, type McpToolRef } from './mcp-tool-ref';

/** How long a tool listing (at registration, at the start of a task) may take. */
const LIST_TIMEOUT_MS = 15_000;
/** A tool call never waits longer than this, whatever is left of the task's deadline. */
const MAX_CALL_TIMEOUT_MS = 120_000;
const MCP = 'mcp';

export interface McpToolDescription {
  description: string;
  inputSchema: Record<string, unknown>;
}

/**
 * The MCP tools of llm agents, through integration-manager (request/reply on
 * baton.integration.commands): agent-manager never talks to an MCP server
 * itself, so a tool call uses the connection's credentials, breaker and
 * outbound address guard, and only a connection of the agent's own workspace
 * (the request's workspace is the agent's) can be reached (ADR 0040).
 */
@Injectable()
export class McpToolsClient {
  constructor(private readonly requests: PlatformRequests) {}

  /**
   * Problems of the `mcp:` entries of `config.tools`, each named by its index:
   * a malformed entry, a connection the workspace does not have or that is not
   * an MCP server, a tool its server does not list.
   */
  async configErrors(workspaceId: string, tools: unknown): Promise<FieldError[]> {
    if (!Array.isArray(tools)) return [];
    const errors: FieldError[] = [];
    const listed = new Map<string, Promise<Set<string> | FieldError['message']>>();
    for (const [index, entry] of tools.entries()) {
      if (typeof entry !== 'string' || !isMcpToolEntry(entry)) continue;
      const field = `config.tools[${index}]`;
      const parsed = parseMcpToolRef(entry);
      if (!parsed.ok) {
        errors.push({ field, message: parsed.reason });
        continue;
      }
      const { connection, tool } = parsed.ref;
      if (!listed.has(connection)) listed.set(connection, this.toolNames(workspaceId, connection));
      const names = await listed.get(connection)!;
      if (typeof names === 'string') errors.push({ field, message: names });
      else if (!names.has(tool)) {
        errors.push({ field, message: `connection '${connection}' lists no tool '${tool}'` });
      }
    }
    return errors;
  }

  /** The tools of a connection with their input schemas, by name (for the model's tool list). */
  async describe(
    workspaceId: string,
    connection: string,
  ): Promise<Map<string, McpToolDescription>> {
    const operations = await this.requests.request<ConnectionOperationsView>(
      Topics.integrationCommands,
      MessageTypes.connectionOperations,
      { name: connection },
      { workspaceId, source: 'agent-manager', timeoutMs: LIST_TIMEOUT_MS, key: connection },
    );
    return new Map(
      operations.items.map((o) => [
        o.name,
        { description: o.description, inputSchema: o.input_schema },
      ]),
    );
  }

  /** One call of the tool, bounded by the task's deadline; a failure is an answer. */
  call(
    workspaceId: string,
    ref: McpToolRef,
    args: Record<string, unknown>,
    deadline: number,
  ): Promise<ConnectionToolResultView> {
    const timeoutMs = Math.max(1_000, Math.min(MAX_CALL_TIMEOUT_MS, deadline - Date.now()));
    return this.requests.request<ConnectionToolResultView>(
      Topics.integrationCommands,
      MessageTypes.connectionToolCall,
      { name: ref.connection, tool: ref.tool, arguments: args },
      { workspaceId, source: 'agent-manager', timeoutMs, key: ref.connection },
    );
  }

  /** The tool names of an MCP connection of the workspace, or why it has none to give. */
  private async toolNames(workspaceId: string, connection: string): Promise<Set<string> | string> {
    try {
      const view = await this.requests.request<ConnectionView>(
        Topics.integrationCommands,
        MessageTypes.connectionGet,
        { name: connection },
        { workspaceId, source: 'agent-manager', timeoutMs: LIST_TIMEOUT_MS, key: connection },
      );
      if (view.connector !== MCP) {
        return `connection '${connection}' is of kind ${view.connector}, not an MCP server`;
      }
      return new Set((await this.describe(workspaceId, connection)).keys());
    } catch (error) {
      if (error instanceof DomainError && error.category === ErrorCodes.notFound) {
        return `no connection '${connection}' in this workspace`;
      }
      if (error instanceof DomainError) {
        return `the tools of connection '${connection}' cannot be listed: ${error.detail}`;
      }
      throw error;
    }
  }
}
