import {
  DomainError,
  ErrorCodes,
  MessageTypes,
  Topics,
  type HookReceivedView,
} from '@baton/contracts';
import { currentContext } from '@baton/telemetry';
import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { PlatformClient } from '../platform/platform-client';

/** Headers never forwarded: a hook is verified by its signature, not by these. */
const DROPPED_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-api-key']);
const MAX_FORWARDED_HEADERS = 64;
const MAX_HEADER_VALUE = 8_192;

/**
 * `POST /v1/hooks/{workspace}/{connection}`: calls from outside systems
 * (Slack, GitHub, anything signing with HMAC). No API key: integration-
 * manager holds the connection's signing secret and verifies the raw body
 * (kept as bytes for this route by configureHttp). Unknown workspaces and
 * connections are answered exactly like bad signatures (401), so the route
 * cannot be used to learn which exist.
 */
@ApiTags('hooks')
@Controller('v1/hooks')
export class HooksController {
  constructor(private readonly platform: PlatformClient) {}

  @Post(':workspace/:connection')
  @HttpCode(202)
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded', 'text/plain')
  receive(
    @Param('workspace') workspace: string,
    @Param('connection') connection: string,
    @Req() request: Request,
  ): Promise<HookReceivedView> {
    const raw: unknown = request.body;
    const body = Buffer.isBuffer(raw) ? raw : Buffer.alloc(0);
    if (!Buffer.isBuffer(raw) && raw !== undefined && Object.keys(raw as object).length > 0) {
      throw new DomainError(ErrorCodes.internal, 'hook body was parsed before verification');
    }
    const headers: Record<string, string> = {};
    let count = 0;
    for (const [name, value] of Object.entries(request.headers)) {
      if (DROPPED_HEADERS.has(name) || typeof value !== 'string') continue;
      if (++count > MAX_FORWARDED_HEADERS) break;
      headers[name] = value.slice(0, MAX_HEADER_VALUE);
    }
    return this.platform.sendAsSystem<HookReceivedView>(
      Topics.integrationCommands,
      MessageTypes.hookReceive,
      {
        workspace: workspace.slice(0, 200),
        connection: connection.slice(0, 200),
        headers,
        body_base64: body.toString('base64'),
      },
      currentContext().correlationId ?? 'unknown',
    );
  }
}
