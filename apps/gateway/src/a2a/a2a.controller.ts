import { JsonRpcTransportHandler } from '@a2a-js/sdk/server';
import type { AgentCard } from '@a2a-js/sdk';
import {
  AgentNameQuery,
  MessageTypes,
  Topics,
  validateInto,
  type AgentView,
} from '@baton/contracts';
import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentCaller, type Caller } from '../auth/caller';
import { GatewayEnv } from '../gateway.env';
import { PlatformClient } from '../platform/platform-client';
import { agentCard } from './a2a-messages';
import { BatonA2aHandler } from './baton-a2a.handler';

/**
 * Baton's agents over A2A (JSON-RPC, protocol 0.3), through `@a2a-js/sdk`:
 * each agent's card at `/a2a/{agent}/.well-known/agent-card.json` and its
 * endpoint at `/a2a/{agent}` (`message/send`, `tasks/get`). Authenticated and
 * scoped to the caller's workspace like the API: an agent of another
 * workspace is not found.
 */
@ApiExcludeController()
@ApiBearerAuth()
@Controller('a2a')
export class A2aController {
  private readonly publicUrl: string | undefined;

  constructor(
    private readonly platform: PlatformClient,
    env: GatewayEnv,
  ) {
    this.publicUrl = env.BATON_PUBLIC_URL?.replace(/\/+$/, '');
  }

  @Get(':name/.well-known/agent-card.json')
  card(
    @Param('name') name: string,
    @CurrentCaller() caller: Caller,
    @Req() request: Request,
  ): Promise<AgentCard> {
    return this.cardOf(name, caller, request);
  }

  /** JSON-RPC: errors are answered in the body with 200, as the binding says. */
  @Post(':name')
  @HttpCode(200)
  async rpc(
    @Param('name') name: string,
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
    @Req() request: Request,
  ): Promise<unknown> {
    const card = await this.cardOf(name, caller, request);
    const transport = new JsonRpcTransportHandler(new BatonA2aHandler(this.platform, caller, card));
    const answer = await transport.handle(body);
    if (Symbol.asyncIterator in answer) {
      // Streaming methods are not offered (the card says so); the handler refuses them.
      const request = body as { id?: string | number | null };
      return {
        jsonrpc: '2.0',
        id: request?.id ?? null,
        error: { code: -32004, message: 'streaming is not supported' },
      };
    }
    return answer;
  }

  private async cardOf(name: string, caller: Caller, request: Request): Promise<AgentCard> {
    const query = validateInto(AgentNameQuery, { name }, 'path');
    const agent = await this.platform.send<AgentView>(
      Topics.agentCommands,
      MessageTypes.agentGet,
      query,
      caller,
      name,
    );
    // BATON_PUBLIC_URL when the gateway is behind a proxy; else the address it was reached at.
    const base = this.publicUrl ?? `${request.protocol}://${request.get('host') ?? 'localhost'}`;
    return agentCard(agent, base);
  }
}
