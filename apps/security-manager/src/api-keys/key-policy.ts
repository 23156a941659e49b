import {
  DomainError,
  ErrorCodes,
  isRole,
  PLATFORM_ADMIN,
  ROLE_PERMISSIONS,
  type ActorRef,
  type ApiKeyStatus,
  API_KEY_PREFIX,
} from '@baton/contracts';
import { randomBytes } from 'node:crypto';

/** A new key: `bk_` and 32 random bytes, base64url (43 characters). */
export function generateApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** The permissions roles give, narrowed by scopes when there are any. */
export function effectivePermissions(
  roles: readonly string[],
  scopes?: readonly string[] | null,
): Set<string> {
  const granted = new Set<string>();
  for (const role of roles)
    if (isRole(role)) for (const p of ROLE_PERMISSIONS[role]) granted.add(p);
  if (!scopes) return granted;
  return new Set([...granted].filter((permission) => scopes.includes(permission)));
}

/**
 * A key never grants more than its creator holds: every permission of the
 * new key (its role, narrowed by its scopes) must be one the creator has, and
 * only a platform admin gives the platform-admin role. Scopes outside the
 * role are a mistake in the request (422), not a lack of rights.
 */
export function assertMayGrant(
  actor: Pick<ActorRef, 'roles' | 'scopes'>,
  role: string,
  scopes?: readonly string[] | null,
): void {
  if (!isRole(role)) throw DomainError.invalid('role', `unknown role '${role}'`);
  const rolePermissions = ROLE_PERMISSIONS[role];
  const outside = (scopes ?? []).filter((scope) => !rolePermissions.includes(scope as never));
  if (outside.length > 0) {
    throw DomainError.invalid('scopes', `role '${role}' has no ${outside.join(', ')}`);
  }
  if (role === PLATFORM_ADMIN && !actor.roles.includes(PLATFORM_ADMIN)) {
    throw new DomainError(
      ErrorCodes.forbidden,
      'only a platform-admin may give the role platform-admin',
      [{ field: 'role', message: 'only a platform-admin may give it' }],
    );
  }
  const mine = effectivePermissions(actor.roles, actor.scopes);
  const missing = [...effectivePermissions([role], scopes)].filter((p) => !mine.has(p));
  if (missing.length > 0) {
    throw new DomainError(
      ErrorCodes.forbidden,
      `a key cannot grant more than its creator holds: you lack ${missing.join(', ')}`,
      [{ field: 'role', message: `grants ${missing.join(', ')}, which you do not hold` }],
    );
  }
}

export interface KeyState {
  revokedAt: Date | null;
  expiresAt: Date | null;
}

export function keyStatus(key: KeyState, now: Date): ApiKeyStatus {
  if (key.revokedAt && key.revokedAt.getTime() <= now.getTime()) return 'revoked';
  if (key.expiresAt && key.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'active';
}

/** The old key's end after a rotation: now + grace, never later than it would have ended anyway. */
export function graceEnd(expiresAt: Date | null, graceSeconds: number, now: Date): Date {
  const end = new Date(now.getTime() + graceSeconds * 1000);
  return expiresAt && expiresAt.getTime() < end.getTime() ? expiresAt : end;
}
