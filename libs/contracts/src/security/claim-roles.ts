import { isRole, PLATFORM_ADMIN } from './permissions';

/**
 * The workspace roles an identity provider's mapping gives the values of its
 * claim (a string or a list), for its access tokens at the gateway and its ID
 * tokens at console sign-in alike. Never the platform admin.
 */
export function claimRoles(
  claims: Record<string, unknown>,
  claim: string,
  roleMapping: Record<string, string>,
): string[] {
  const value = claims[claim];
  // A string is one value, or a space-separated list as `scope` is (RFC 9068).
  const values =
    typeof value === 'string' ? [value, ...value.split(' ')] : Array.isArray(value) ? value : [];
  const roles = new Set<string>();
  for (const item of values.slice(0, 1_000)) {
    if (typeof item !== 'string' || !Object.hasOwn(roleMapping, item)) continue;
    const role = roleMapping[item];
    if (isRole(role) && role !== PLATFORM_ADMIN) roles.add(role);
  }
  return [...roles];
}
