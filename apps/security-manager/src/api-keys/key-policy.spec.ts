import { DomainError } from '@baton/contracts';
import {
  assertMayGrant,
  effectivePermissions,
  generateApiKey,
  graceEnd,
  keyStatus,
} from './key-policy';

const codeOf = (fn: () => void): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return (error as DomainError).code;
  }
};

describe('key policy', () => {
  it('issues keys a secret scanner recognises, 32 random bytes after bk_', () => {
    const key = generateApiKey();
    expect(key).toMatch(/^bk_[A-Za-z0-9_-]{43}$/);
    expect(generateApiKey()).not.toBe(key);
  });

  it('lets an admin give any workspace role, agent included, but not platform-admin', () => {
    const admin = { roles: ['admin'] };
    for (const role of ['admin', 'developer', 'operator', 'viewer', 'agent']) {
      expect(codeOf(() => assertMayGrant(admin, role))).toBeUndefined();
    }
    expect(codeOf(() => assertMayGrant(admin, 'platform-admin'))).toBe('AUTH.FORBIDDEN');
  });

  it('never lets a key grant more than its creator holds', () => {
    expect(codeOf(() => assertMayGrant({ roles: ['operator'] }, 'developer'))).toBe(
      'AUTH.FORBIDDEN',
    );
    expect(codeOf(() => assertMayGrant({ roles: ['operator'] }, 'viewer'))).toBeUndefined();
    // A scoped admin holds only its scopes.
    const scoped = { roles: ['admin'], scopes: ['runs:read', 'api-keys:manage'] };
    expect(codeOf(() => assertMayGrant(scoped, 'viewer'))).toBe('AUTH.FORBIDDEN');
    expect(codeOf(() => assertMayGrant(scoped, 'viewer', ['runs:read']))).toBeUndefined();
  });

  it('refuses scopes outside the role and unknown roles as bad input, naming the field', () => {
    const error = (() => {
      try {
        assertMayGrant({ roles: ['platform-admin'] }, 'viewer', ['agents:write']);
      } catch (e) {
        return e as DomainError;
      }
    })();
    expect(error?.code).toBe('REQUEST.INVALID');
    expect(error?.errors?.[0].field).toBe('scopes');
    expect(codeOf(() => assertMayGrant({ roles: ['admin'] }, 'root'))).toBe('REQUEST.INVALID');
  });

  it('narrows permissions by scopes', () => {
    expect([...effectivePermissions(['viewer'], ['runs:read', 'agents:write'])]).toEqual([
      'runs:read',
    ]);
    expect(effectivePermissions(['viewer']).has('agents:read')).toBe(true);
  });

  it('tells active, expired and revoked keys apart', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(keyStatus({ revokedAt: null, expiresAt: null }, now)).toBe('active');
    expect(keyStatus({ revokedAt: null, expiresAt: now }, now)).toBe('expired');
    expect(keyStatus({ revokedAt: now, expiresAt: null }, now)).toBe('revoked');
  });

  it('ends a rotated key after the grace, never later than it would have anyway', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(graceEnd(null, 60, now).toISOString()).toBe('2026-01-01T00:01:00.000Z');
    const soon = new Date('2026-01-01T00:00:10Z');
    expect(graceEnd(soon, 60, now)).toBe(soon);
  });
});
