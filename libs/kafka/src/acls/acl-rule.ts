/** One ACL binding, in Baton's words; apply-acls.ts turns it into kafkajs' createAcls entries. */
export interface AclRule {
  principal: string;
  resource: 'topic' | 'group' | 'cluster';
  /** prefixed: every name that starts with `name` (Kafka's PREFIXED pattern). */
  pattern: 'literal' | 'prefixed';
  name: string;
  operations: AclOperation[];
  /** deny overrides any allow on the broker; absent: allow. */
  permission?: 'allow' | 'deny';
}

/** Kafka's literal wildcard: the rule applies to every topic. */
export const ANY_TOPIC = '*';

export type AclOperation = 'read' | 'write' | 'describe' | 'create' | 'alter' | 'delete';

/** Kafka principals: one per service, one per workspace for its agent workers. */
export const servicePrincipal = (service: string): string => `User:baton-${service}`;
export const workerUser = (workspaceId: string): string => `baton-worker-${workspaceId}`;
export const workerPrincipal = (workspaceId: string): string => `User:${workerUser(workspaceId)}`;

export function topics(
  principal: string,
  names: readonly string[],
  operations: AclOperation[],
): AclRule[] {
  return names.map((name) => ({
    principal,
    resource: 'topic',
    pattern: 'literal',
    name,
    operations,
  }));
}

export function topicPrefix(
  principal: string,
  prefix: string,
  operations: AclOperation[],
): AclRule {
  return { principal, resource: 'topic', pattern: 'prefixed', name: prefix, operations };
}

export function groupPrefix(
  principal: string,
  prefix: string,
  operations: AclOperation[],
): AclRule {
  return { principal, resource: 'group', pattern: 'prefixed', name: prefix, operations };
}
