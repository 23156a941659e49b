import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ResourcePatternTypes,
  type Admin,
  type AclEntry,
} from 'kafkajs';
import type { AclOperation, AclRule } from './acl-rule';

const RESOURCE = {
  topic: AclResourceTypes.TOPIC,
  group: AclResourceTypes.GROUP,
  cluster: AclResourceTypes.CLUSTER,
} as const;

const OPERATION: Record<AclOperation, AclOperationTypes> = {
  read: AclOperationTypes.READ,
  write: AclOperationTypes.WRITE,
  describe: AclOperationTypes.DESCRIBE,
  create: AclOperationTypes.CREATE,
  alter: AclOperationTypes.ALTER,
  delete: AclOperationTypes.DELETE,
};

/** kafkajs' createAcls entries: one ALLOW (or DENY) binding per operation, from any host. */
export function toAclEntries(rules: AclRule[]): AclEntry[] {
  return rules.flatMap((rule) =>
    rule.operations.map((operation) => ({
      resourceType: RESOURCE[rule.resource],
      resourceName: rule.resource === 'cluster' ? 'kafka-cluster' : rule.name,
      resourcePatternType:
        rule.pattern === 'prefixed' ? ResourcePatternTypes.PREFIXED : ResourcePatternTypes.LITERAL,
      principal: rule.principal,
      host: '*',
      operation: OPERATION[operation],
      permissionType:
        rule.permission === 'deny' ? AclPermissionTypes.DENY : AclPermissionTypes.ALLOW,
    })),
  );
}

/**
 * Creates the bindings (creating an existing one is a no-op on the broker, so
 * this can run on every deploy). Needs a principal allowed to alter the
 * cluster's ACLs: the admin.
 */
export async function applyAcls(admin: Admin, rules: AclRule[]): Promise<number> {
  const entries = toAclEntries(rules);
  // One request per few hundred bindings keeps each CreateAcls small.
  for (let i = 0; i < entries.length; i += 200) {
    await admin.createAcls({ acl: entries.slice(i, i + 200) });
  }
  return entries.length;
}

const aclKey = (
  e: Pick<
    AclEntry,
    | 'resourceType'
    | 'resourceName'
    | 'resourcePatternType'
    | 'principal'
    | 'operation'
    | 'permissionType'
  >,
) =>
  [
    e.resourceType,
    e.resourceName,
    e.resourcePatternType,
    e.principal,
    e.operation,
    e.permissionType,
  ].join('|');

/**
 * Waits until the broker reports every binding of `rules` (it applies them
 * from its metadata log a moment after CreateAcls answers), so whoever is
 * handed the rights next finds them in force. Throws after `timeoutMs`.
 */
export async function waitForAcls(
  admin: Admin,
  rules: AclRule[],
  timeoutMs = 30_000,
): Promise<void> {
  const wanted = new Set(toAclEntries(rules).map(aclKey));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { resources } = await admin.describeAcls({
      resourceType: AclResourceTypes.ANY,
      resourcePatternType: ResourcePatternTypes.ANY,
      operation: AclOperationTypes.ANY,
      permissionType: AclPermissionTypes.ANY,
    });
    const present = new Set(
      resources.flatMap((r) => r.acls.map((acl) => aclKey({ ...r, ...acl }))),
    );
    const missing = [...wanted].filter((key) => !present.has(key)).length;
    if (missing === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`${missing} ACL bindings not in force after ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Deletes the bindings of the principals named in `rules` that `rules` no
 * longer holds: createAcls only adds, so without this a binding an earlier
 * version granted (or a deny it set) would outlive the upgrade that dropped
 * it. Principals not named in `rules` (workspaces' workers) are left alone.
 */
export async function pruneStaleAcls(admin: Admin, rules: AclRule[]): Promise<number> {
  const wanted = new Set(toAclEntries(rules).map(aclKey));
  const principals = new Set(rules.map((rule) => rule.principal));
  const { resources } = await admin.describeAcls({
    resourceType: AclResourceTypes.ANY,
    resourcePatternType: ResourcePatternTypes.ANY,
    operation: AclOperationTypes.ANY,
    permissionType: AclPermissionTypes.ANY,
  });
  const stale = resources.flatMap((resource) =>
    resource.acls
      .filter((acl) => principals.has(acl.principal))
      .filter((acl) => !wanted.has(aclKey({ ...resource, ...acl })))
      .map((acl) => ({
        resourceType: resource.resourceType,
        resourceName: resource.resourceName,
        resourcePatternType: resource.resourcePatternType,
        principal: acl.principal,
        host: acl.host,
        operation: acl.operation,
        permissionType: acl.permissionType,
      })),
  );
  if (stale.length > 0) await admin.deleteAcls({ filters: stale });
  return stale.length;
}
