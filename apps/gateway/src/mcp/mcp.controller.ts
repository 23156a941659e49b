import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';
import { Controller, Delete, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentCaller, type Caller } from '../auth/caller';
import { BatonTools, UnknownToolError } from './baton-tools';

const SERVER_INFO = { name: 'baton', version: process.env.npm_package_version ?? '0.1.0' };

/**
 * Baton as an MCP server (Streamable HTTP, stateless): an IDE or another agent
 * lists the workspace's workflows and agents as tools and calls them. Each
 * POST is one JSON-RPC exchange answered as JSON; there is no session and no
 * server-initiated stream, so any gateway replica can answer any request. The
 * caller is authenticated by the gateway's guard like every other route.
 */
@ApiExcludeController()
@ApiBearerAuth()
@Controller('mcp')
export class McpController {
  constructor(private readonly tools: BatonTools) {}

  @Post()
  async handle(
    @CurrentCaller() caller: Caller,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const server = this.serverFor(caller);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    response.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(request, response, request.body);
  }

  /** No server-initiated stream and no session to end: the spec's answer is 405. */
  @Get()
  @HttpCode(405)
  stream(@Res({ passthrough: true }) response: Response): void {
    response.setHeader('allow', 'POST');
  }

  @Delete()
  @HttpCode(405)
  endSession(@Res({ passthrough: true }) response: Response): void {
    response.setHeader('allow', 'POST');
  }

  private serverFor(caller: Caller): Server {
    const server = new Server(SERVER_INFO, { capabilities: { tools: { listChanged: false } } });
    server.setRequestHandler(ListToolsRequestSchema, async () => ({
      tools: await this.tools.list(caller),
    }));
    server.setRequestHandler(CallToolRequestSchema, async (request) => {
      try {
        return {
          ...(await this.tools.call(caller, request.params.name, request.params.arguments ?? {})),
        };
      } catch (error) {
        if (error instanceof UnknownToolError)
          throw new McpError(ErrorCode.InvalidParams, error.message);
        throw error;
      }
    });
    return server;
  }
}
