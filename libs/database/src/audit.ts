import {
  AuditEntryMessage,
  createEnvelope,
  MessageTypes,
  Topics,
  type Envelope,
} from '@baton/contracts';
import { currentCommand, type OutgoingMessage } from '@baton/kafka';

/** What a use case says about the change it makes; who, where and which request come from the command. */
export interface AuditRecord {
  /** A dotted verb, e.g. `agent.register`, `run.cancel`. */
  action: string;
  /** What was changed, e.g. `agent/billing-bot`, `run/<id>`. */
  target: string;
  /** `success` unless said otherwise. */
  outcome?: 'success' | 'denied' | 'failure';
  details?: Record<string, unknown>;
  /** Only for a change made without a command (a consumer, a timer): its workspace. */
  workspaceId?: string;
}

const MAX_TARGET = 500;

/**
 * The audit message of `record`, attributed to `cause` (by default the command
 * being handled): its principal and credential, workspace and correlation id.
 * A change made by the platform itself (no caller) is attributed to `system:<source>`.
 */
export function auditMessage(
  source: string,
  record: AuditRecord,
  cause: Envelope | undefined = currentCommand(),
): OutgoingMessage {
  const workspaceId = cause?.workspaceid ?? record.workspaceId;
  if (!workspaceId) throw new Error(`audit of ${record.action} has no workspace`);
  const data: AuditEntryMessage = {
    actor: cause?.principal ?? `system:${source}`,
    ...(cause?.credential ? { credential: cause.credential } : {}),
    action: record.action,
    resource: record.target.slice(0, MAX_TARGET),
    outcome: record.outcome ?? 'success',
    details: record.details ?? {},
  };
  const envelope = createEnvelope({
    type: MessageTypes.auditEntry,
    source,
    workspaceId,
    subject: data.resource,
    data,
    ...(cause ? { causedBy: cause } : {}),
    ...(cause?.principal ? { principal: cause.principal } : {}),
    ...(cause?.credential ? { credential: cause.credential } : {}),
  });
  // One workspace's entries share a partition, so security-manager chains them in order.
  return { topic: Topics.audit, key: workspaceId, envelope };
}
