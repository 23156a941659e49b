import {
  DomainError,
  ErrorCodes,
  type PrincipalView,
  type VerifyApiKeyQuery,
} from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { hashApiKey, isLastUsedStale } from './api-key-hash';
import { ApiKeysRepository } from './api-keys.repository';
import { toPrincipalView } from './principal.view';

@Injectable()
export class VerifyApiKeyUseCase {
  constructor(private readonly keys: ApiKeysRepository) {}

  /** Unknown and revoked keys get the same answer, so a caller cannot tell which it holds. */
  async execute(query: VerifyApiKeyQuery): Promise<PrincipalView> {
    const key = await this.keys.findActiveByHash(hashApiKey(query.key));
    if (!key) throw new DomainError(ErrorCodes.unauthorized, 'invalid API key');
    if (isLastUsedStale(key.lastUsedAt, new Date())) await this.keys.touch(key.id);
    return toPrincipalView(key);
  }
}
