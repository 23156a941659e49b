import type { SessionTokenQuery } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { SessionsRepository } from './sessions.repository';

/** Sign-out: the session row is deleted; expired rows of everyone go with it. */
@Injectable()
export class DeleteSessionUseCase {
  constructor(private readonly sessions: SessionsRepository) {}

  async execute(query: SessionTokenQuery): Promise<{ deleted: boolean }> {
    const deleted = await this.sessions.deleteByHash(query.token_hash);
    await this.sessions.pruneExpired();
    return { deleted };
  }
}
