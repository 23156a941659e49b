import { MessageTypes, Topics, type PrincipalView } from '@baton/contracts';
import { currentContext } from '@baton/telemetry';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createHash } from 'node:crypto';
import { PlatformClient } from '../platform/platform-client';
import type { Authenticator } from './authenticator';
import type { Caller, CallerRequest } from './caller';
import { PrincipalCache } from './principal-cache';

const BEARER = /^Bearer\s+(\S{16,200})$/i;

/** `Authorization: Bearer <api key>`, verified by security-manager and cached by digest. */
@Injectable()
export class ApiKeyAuthenticator implements Authenticator {
  private readonly cache: PrincipalCache;

  constructor(
    private readonly platform: PlatformClient,
    config: ConfigService,
  ) {
    this.cache = new PrincipalCache(config.getOrThrow<number>('AUTH_CACHE_TTL_MS'));
  }

  async authenticate(request: CallerRequest): Promise<Caller | undefined> {
    const key = BEARER.exec(request.header('authorization') ?? '')?.[1];
    if (!key) return undefined;
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
    return {
      principal: principal.principal,
      workspaceId: principal.workspace_id,
      roles: principal.roles,
      correlationId,
      credential: { kind: 'api-key', id: principal.key_id },
    };
  }
}
