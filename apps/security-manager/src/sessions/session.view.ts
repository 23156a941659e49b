import type { SessionView } from '@baton/contracts';
import type { SessionEntity } from './session.entity';

export function toSessionView(session: SessionEntity): SessionView {
  return {
    session_id: session.id,
    principal: session.principal,
    workspace_id: session.workspaceId,
    roles: session.roles,
    expires_at: session.expiresAt.toISOString(),
    source: session.source,
  };
}
