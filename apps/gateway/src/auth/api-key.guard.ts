import {
  DomainError,
  ErrorCodes,
  MessageTypes,
  Topics,
  type PrincipalView,
} from '@baton/contracts';
import { currentContext } from '@baton/telemetry';
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createHash } from 'node:crypto';
import { PlatformClient } from '../platform/platform-client';
import type { CallerRequest } from './caller';
import { PrincipalCache } from './principal-cache';

const BEARER = /^Bearer\s+(\S{16,200})$/i;

/** Every /v1 route: `Authorization: Bearer <api key>`, verified by security-manager. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly cache: PrincipalCache;

  constructor(
    private readonly platform: PlatformClient,
    config: ConfigService,
  ) {
    this.cache = new PrincipalCache(config.getOrThrow<number>('AUTH_CACHE_TTL_MS'));
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<CallerRequest>();
    const key = BEARER.exec(request.header('authorization') ?? '')?.[1];
    if (!key) {
      throw new DomainError(
        ErrorCodes.unauthorized,
        'send an API key as Authorization: Bearer <key>',
      );
    }
    const correlationId = currentContext().correlationId ?? 'unknown';
    const keyHash = createHash('sha256').update(key).digest('hex');
    let principal = this.cache.get(keyHash);
    if (!principal) {
      principal = await this.platform.sendAsSystem<PrincipalView>(
        Topics.securityCommands,
        MessageTypes.apiKeyVerify,
        { key },
        correlationId,
      );
      this.cache.set(keyHash, principal);
    }
    const asked = request.header('x-workspace-id');
    if (asked && asked !== principal.workspace_id) {
      throw new DomainError(
        ErrorCodes.forbidden,
        `this API key does not belong to workspace '${asked}'`,
      );
    }
    request.caller = {
      principal: principal.principal,
      workspaceId: principal.workspace_id,
      roles: principal.roles,
      correlationId,
    };
    const logContext = currentContext();
    logContext.workspaceId = principal.workspace_id;
    logContext.principal = principal.principal;
    return true;
  }
}
