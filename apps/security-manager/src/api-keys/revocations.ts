import {
  createEnvelope,
  MessageTypes,
  Topics,
  type CredentialsRevokedMessage,
  type WorkspaceLifecycleMessage,
} from '@baton/contracts';
import type { OutgoingMessage } from '@baton/kafka';

/**
 * The message that makes every gateway forget what it cached for these
 * credentials (written to the outbox with the change that revokes them).
 * One partition and the workspace as key: revocations stay in order.
 */
export function revocationMessage(
  workspaceId: string,
  revoked: CredentialsRevokedMessage,
  correlationId: string,
): OutgoingMessage {
  return {
    topic: Topics.securityRevocations,
    key: workspaceId,
    envelope: createEnvelope<CredentialsRevokedMessage>({
      type: MessageTypes.credentialsRevoked,
      source: 'security-manager',
      workspaceId,
      correlationId,
      subject: revoked.kind,
      data: revoked,
    }),
  };
}

/** One API key revoked or rotated out: every gateway drops what it cached of it. */
export function apiKeyRevocation(
  workspaceId: string,
  keyId: string,
  reason: 'revoked' | 'rotated',
  correlationId: string,
): OutgoingMessage {
  const revoked = { kind: 'api-key' as const, credential_ids: [keyId], reason };
  return revocationMessage(workspaceId, revoked, correlationId);
}

/** A workspace was created, deleted or purged: for the services that keep its data. */
export function workspaceChangedMessage(
  change: WorkspaceLifecycleMessage,
  correlationId: string,
): OutgoingMessage {
  return {
    topic: Topics.securityEvents,
    key: change.workspace_id,
    envelope: createEnvelope<WorkspaceLifecycleMessage>({
      type: MessageTypes.workspaceChanged,
      source: 'security-manager',
      workspaceId: change.workspace_id,
      correlationId,
      subject: change.status,
      data: change,
    }),
  };
}
