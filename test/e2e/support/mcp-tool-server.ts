import { Server as McpServer } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface McpTestTool {
  name: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  /** The tool's answer to `args` (structured content, or a promise of it); a thrown error answers `isError` with its message. */
  answer: (args: Record<string, unknown>) => unknown;
}

/**
 * An MCP server (the official SDK, Streamable HTTP, stateless) whose tools a
 * test scripts; it counts the calls and keeps the Authorization header each came with.
 */
export class McpToolServer {
  readonly calls: { tool: string; args: Record<string, unknown>; authorization?: string }[] = [];
  private server?: Server;
  url = '';

  constructor(private readonly tools: McpTestTool[]) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => void this.answer(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/mcp`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private async answer(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const server = new McpServer(
      { name: 'test-tools', version: '1.0.0' },
      { capabilities: { tools: {} } },
    );
    server.setRequestHandler(ListToolsRequestSchema, () =>
      Promise.resolve({
        tools: this.tools.map(({ name, description, inputSchema }) => ({
          name,
          description,
          inputSchema,
        })),
      }),
    );
    server.setRequestHandler(CallToolRequestSchema, async (request) => {
      const { name } = request.params;
      const args = request.params.arguments ?? {};
      this.calls.push({ tool: name, args, authorization: req.headers.authorization });
      const tool = this.tools.find((t) => t.name === name);
      if (!tool) {
        return Promise.resolve({
          isError: true,
          content: [{ type: 'text', text: 'no such tool' }],
        });
      }
      let output: Record<string, unknown>;
      try {
        output = (await tool.answer(args)) as Record<string, unknown>;
      } catch (error) {
        return Promise.resolve({
          isError: true,
          content: [{ type: 'text', text: (error as Error).message }],
        });
      }
      return Promise.resolve({
        content: [{ type: 'text', text: JSON.stringify(output) }],
        structuredContent: output,
      });
    });
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    res.on('close', () => void server.close());
    await server.connect(transport);
    await transport.handleRequest(req, res, body ? (JSON.parse(body) as unknown) : undefined);
  }
}
