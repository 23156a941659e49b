import { DomainError } from '@baton/contracts';
import type { OutboundHttp } from '@baton/service-kit';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  OperationError,
  withinDeadline,
  type ConnectionTarget,
  type Connector,
  type JsonSchema,
  type Operation,
  type OperationContext,
} from '../connector';
import { boundedFetch } from './bounded-fetch';

/** A tool as `tools/list` describes it (the part a step needs). */
interface McpTool {
  name: string;
  description?: string;
  inputSchema: JsonSchema;
  annotations?: { readOnlyHint?: boolean; idempotentHint?: boolean };
}

const CLIENT_INFO = { name: 'baton-integration-manager', version: '1.0.0' };
/** Tools taken from one server: a server listing more is cut here (a step names a tool, not a page). */
const MAX_TOOLS = 500;
const DEFAULT_MAX_RESPONSE_BYTES = 2 * 1024 * 1024;
/** How long a listing may take when a connection's operations are looked up outside a call. */
const LIST_TIMEOUT_MS = 10_000;

/**
 * The tools of a Model Context Protocol server (Streamable HTTP transport) as
 * operations: `action: <connection>.<tool>` calls the tool with the step's
 * input. Requests go through the connectors' outbound guard and are bounded in
 * size; a tool answering `isError` fails the step as a system_error with the
 * tool's text. Each call opens its own MCP session (initialize, call, close):
 * simple and safe across server restarts, at the cost of one more round trip.
 */
export class McpConnector implements Connector {
  readonly kind = 'mcp';
  readonly description =
    'The tools of a Model Context Protocol server (Streamable HTTP): one operation per tool';
  readonly configSchema: JsonSchema = {
    type: 'object',
    additionalProperties: false,
    required: ['url'],
    properties: {
      url: {
        type: 'string',
        format: 'uri',
        pattern: '^https?://',
        description: "the server's MCP endpoint, e.g. https://tools.example.com/mcp",
      },
      headers: {
        type: 'object',
        maxProperties: 20,
        additionalProperties: { type: 'string', maxLength: 1024 },
        description: 'extra request headers (not credentials: put a token in secrets.token)',
      },
      max_response_bytes: { type: 'integer', minimum: 1024, maximum: 16 * 1024 * 1024 },
    },
  };
  readonly secretFields = [
    { name: 'token', required: false, description: 'sent as Authorization: Bearer <token>' },
  ];
  /** None of its own: they are the tools each connection's server lists (operationsOf). */
  readonly operations: ReadonlyMap<string, Operation> = new Map();
  private readonly listed = new Map<
    string,
    { version: number; tools: Promise<ReadonlyMap<string, Operation>> }
  >();

  constructor(private readonly http: OutboundHttp) {}

  async validateConfig(config: Record<string, unknown>): Promise<void> {
    const refused = await this.http.refusal(String(config.url));
    if (refused) throw DomainError.invalid('config.url', `must not be internal: ${refused}`);
    const headers = (config.headers as Record<string, string> | undefined) ?? {};
    if (Object.keys(headers).some((name) => name.toLowerCase() === 'authorization')) {
      throw DomainError.invalid(
        'config.headers.authorization',
        'is a credential: put the token in secrets.token',
      );
    }
  }

  /** The server's tools, listed once per connection version (a saved connection lists again). */
  operationsOf(
    connection: ConnectionTarget,
    version: number,
  ): Promise<ReadonlyMap<string, Operation>> {
    const cached = this.listed.get(connection.key);
    if (cached && cached.version === version) return cached.tools;
    const tools = this.listTools(connection).then(
      (listed) => new Map(listed.map((tool) => [tool.name, this.operation(tool)])),
      (error: unknown) => {
        this.listed.delete(connection.key);
        throw error;
      },
    );
    this.listed.set(connection.key, { version, tools });
    return tools;
  }

  async probe(context: OperationContext): Promise<Record<string, unknown>> {
    return this.session(context.connection, context.signal, async (client) => {
      const tools = await this.allTools(client, context.signal);
      return { server: client.getServerVersion()?.name ?? null, tools: tools.length };
    });
  }

  async release(key: string): Promise<void> {
    this.listed.delete(key);
  }

  private operation(tool: McpTool): Operation {
    const idempotent =
      tool.annotations?.readOnlyHint === true || tool.annotations?.idempotentHint === true;
    return {
      name: tool.name,
      description: tool.description ?? '',
      inputSchema: tool.inputSchema,
      idempotent: () => idempotent,
      idempotentWhen: 'the server marks the tool read-only or idempotent',
      execute: (context, input) =>
        this.session(context.connection, context.signal, async (client) => {
          const result = await client.callTool({ name: tool.name, arguments: input }, undefined, {
            signal: context.signal,
            timeout: context.timeoutMs,
          });
          if (result.isError) {
            throw new OperationError(
              'system_error',
              `tool ${tool.name}: ${textOf(result.content)}`,
            );
          }
          return { output: result.structuredContent ?? outputOf(result.content) };
        }),
    };
  }

  private async listTools(connection: ConnectionTarget): Promise<McpTool[]> {
    const signal = AbortSignal.timeout(LIST_TIMEOUT_MS);
    return this.session(connection, signal, (client) => this.allTools(client, signal));
  }

  private async allTools(client: Client, signal: AbortSignal): Promise<McpTool[]> {
    const tools: McpTool[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : {}, { signal });
      tools.push(...(page.tools as McpTool[]));
      cursor = page.nextCursor;
    } while (cursor && tools.length < MAX_TOOLS);
    return tools.slice(0, MAX_TOOLS);
  }

  /** Opens an MCP session to the connection's server for `work`, and closes it after. */
  private async session<T>(
    connection: ConnectionTarget,
    signal: AbortSignal,
    work: (client: Client) => Promise<T>,
  ): Promise<T> {
    const config = connection.config;
    const headers: Record<string, string> = {
      ...((config.headers as Record<string, string> | undefined) ?? {}),
      ...(connection.secrets.token ? { authorization: `Bearer ${connection.secrets.token}` } : {}),
    };
    const maxBytes = Number(config.max_response_bytes ?? DEFAULT_MAX_RESPONSE_BYTES);
    const transport = new StreamableHTTPClientTransport(new URL(String(config.url)), {
      requestInit: { headers },
      fetch: boundedFetch(this.http, maxBytes),
    });
    const client = new Client(CLIENT_INFO);
    return withinDeadline(
      signal,
      `MCP server of connection '${connection.name}'`,
      async () => {
        try {
          await client.connect(transport, { signal });
          return await work(client);
        } finally {
          await client.close().catch(() => undefined);
        }
      },
      (error) =>
        new OperationError(
          'system_error',
          `MCP server of connection '${connection.name}': ${(error as Error).message}`,
        ),
    );
  }
}

function textOf(content: unknown): string {
  if (!Array.isArray(content)) return 'no content';
  const text = content
    .filter((part): part is { type: 'text'; text: string } => part?.type === 'text')
    .map((part) => part.text)
    .join('\n');
  return (text || 'no text content').slice(0, 1_000);
}

/** A tool's text content as the step output: JSON when it is JSON, else the text itself. */
function outputOf(content: unknown): unknown {
  const text = textOf(content);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { text };
  }
}
