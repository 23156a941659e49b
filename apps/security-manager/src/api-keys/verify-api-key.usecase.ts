import {
  DomainError,
  ErrorCodes,
  type PrincipalView,
  type VerifyApiKeyQuery,
} from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { isLastUsedStale } from './api-key-hash';
import { ApiKeysRepository } from './api-keys.repository';
import { toPrincipalView } from './principal.view';

/**
 * Answers who holds a key, from its SHA-256 (the gateway never sends the key).
 * A refusal names what failed, revoked, expired or a deleted workspace: only
 * whoever holds the key can learn that.
 */
@Injectable()
export class VerifyApiKeyUseCase {
  constructor(private readonly keys: ApiKeysRepository) {}

  async execute(query: VerifyApiKeyQuery, now = new Date()): Promise<PrincipalView> {
    const found = await this.keys.findByHash(query.key_hash);
    if (!found) throw new DomainError(ErrorCodes.unauthorized, 'invalid API key');
    const { key, workspaceDeleted } = found;
    if (key.revokedAt) throw new DomainError(ErrorCodes.unauthorized, 'API key was revoked');
    if (workspaceDeleted) {
      throw new DomainError(ErrorCodes.unauthorized, 'the workspace of this API key was deleted');
    }
    if (key.expiresAt && key.expiresAt.getTime() <= now.getTime()) {
      throw new DomainError(
        ErrorCodes.unauthorized,
        key.replacedBy
          ? `API key expired at ${key.expiresAt.toISOString()}: it was rotated and its grace period is over`
          : `API key expired at ${key.expiresAt.toISOString()}`,
      );
    }
    if (isLastUsedStale(key.lastUsedAt, now)) await this.keys.touch(key.id);
    return toPrincipalView(key);
  }
}
