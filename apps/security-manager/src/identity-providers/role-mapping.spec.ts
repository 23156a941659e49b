import { DomainError } from '@baton/contracts';
import { checkRoleMapping } from './role-mapping';

describe('checkRoleMapping', () => {
  it('keeps a mapping of claim values to workspace roles', () => {
    expect(checkRoleMapping({ 'baton-ops': 'operator', readers: 'viewer' })).toEqual({
      'baton-ops': 'operator',
      readers: 'viewer',
    });
  });

  it('names the entry whose role is unknown or platform-wide', () => {
    for (const role of ['root', 'platform-admin', 42]) {
      try {
        checkRoleMapping({ ops: 'operator', admins: role });
        throw new Error('accepted');
      } catch (error) {
        expect(error).toBeInstanceOf(DomainError);
        expect((error as DomainError).errors?.[0].field).toBe('role_mapping.admins');
      }
    }
  });

  it('refuses an empty or oversized mapping', () => {
    expect(() => checkRoleMapping({})).toThrow('at least one');
    const big = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`g${i}`, 'viewer']));
    expect(() => checkRoleMapping(big)).toThrow('at most 100');
  });
});
