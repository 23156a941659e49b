import {
  DomainError,
  ErrorCodes,
  type SessionTokenQuery,
  type SessionView,
} from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { SessionsRepository } from './sessions.repository';
import { toSessionView } from './session.view';

@Injectable()
export class VerifySessionUseCase {
  constructor(private readonly sessions: SessionsRepository) {}

  /** Unknown, signed-out and expired sessions get the same answer. */
  async execute(query: SessionTokenQuery): Promise<SessionView> {
    const session = await this.sessions.findLive(query.token_hash);
    if (!session)
      throw new DomainError(ErrorCodes.unauthorized, 'the session has expired or was signed out', [
        { field: 'baton_session', message: 'expired or signed out' },
      ]);
    return toSessionView(session);
  }
}
