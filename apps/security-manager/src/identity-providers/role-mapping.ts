import { DomainError, isRole, PLATFORM_ADMIN } from '@baton/contracts';

export const MAX_ROLE_MAPPING_ENTRIES = 100;

/**
 * `{ "<claim value>": "<role>" }` with workspace roles only: an identity
 * provider cannot make anyone a platform admin.
 */
export function checkRoleMapping(mapping: Record<string, unknown>): Record<string, string> {
  const entries = Object.entries(mapping);
  if (entries.length === 0)
    throw DomainError.invalid('role_mapping', 'must map at least one claim value');
  if (entries.length > MAX_ROLE_MAPPING_ENTRIES) {
    throw DomainError.invalid(
      'role_mapping',
      `must have at most ${MAX_ROLE_MAPPING_ENTRIES} entries`,
    );
  }
  for (const [value, role] of entries) {
    const field = `role_mapping.${value.slice(0, 100)}`;
    if (value.length === 0 || value.length > 200) {
      throw DomainError.invalid(field, 'a claim value must be 1-200 characters');
    }
    if (!isRole(role) || role === PLATFORM_ADMIN) {
      throw DomainError.invalid(field, `'${String(role).slice(0, 50)}' is not a workspace role`);
    }
  }
  return Object.fromEntries(entries) as Record<string, string>;
}
