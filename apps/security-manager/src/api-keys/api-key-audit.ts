import type { EntityManager } from 'typeorm';
import { recordAudit } from '../audit/audit-in-transaction';

/** Who asked for a change of a key: the command's actor, from its workspace, in its correlation. */
export interface KeyChangeRequest {
  command: { actor: { principal: string } };
  workspaceId: string;
  correlationId: string;
}

/**
 * A successful change of an API key, in the audit trail of the workspace that
 * asked for it (a platform admin's key issued into another workspace is
 * recorded in the admin's).
 */
export function auditKeyChange(
  manager: EntityManager,
  request: KeyChangeRequest,
  action: 'api-key.create' | 'api-key.revoke' | 'api-key.rotate',
  keyId: string,
  details: Record<string, unknown>,
): Promise<void> {
  return recordAudit(manager, {
    workspaceId: request.workspaceId,
    actor: request.command.actor.principal,
    action,
    resource: `api-keys/${keyId}`,
    outcome: 'success',
    details,
    correlationId: request.correlationId,
  });
}
