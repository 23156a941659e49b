import { ROUTE_PERMISSIONS, routeKey } from '@baton/contracts';
import { bootstrapKey, workspaceWithKeys } from '../workspaces';
import type { Operation } from './openapi-operations';

/**
 * Where fuzzed input acts: a workspace of its own with an admin key, so that
 * what a random but valid body sets (an llm budget, a retention policy of
 * one second, a route, an alert) stays out of the default workspace the
 * other specs use. A tiny budget left in the default workspace once failed
 * every later llm spec, depending on the seed. Only the platform-admin
 * routes (`workspaces:manage`) keep the bootstrap key, so their checks are
 * still reached; their path parameters are fuzzed names, never `default`.
 */
export interface FuzzTarget {
  workspace: string;
  adminKey: string;
  platformKey: string;
}

export async function createFuzzTarget(): Promise<FuzzTarget> {
  const { id, keys } = await workspaceWithKeys('fuzz');
  return { workspace: id, adminKey: keys[0], platformKey: bootstrapKey() };
}

/** The key a fuzzed request to this operation carries. */
export function keyFor(target: FuzzTarget, operation: Pick<Operation, 'method' | 'path'>): string {
  const route = routeKey(operation.method, operation.path.replace(/\{(\w+)\}/g, ':$1'));
  return ROUTE_PERMISSIONS[route] === 'workspaces:manage' ? target.platformKey : target.adminKey;
}
