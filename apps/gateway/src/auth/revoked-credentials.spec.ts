import type { Caller } from './caller';
import { RevocationList } from './revoked-credentials';

const caller = (workspaceId: string, kind: 'jwt' | 'oidc', id: string): Caller => ({
  principal: 'p',
  workspaceId,
  roles: ['viewer'],
  correlationId: 'c',
  credential: { kind, id },
});

describe('RevocationList', () => {
  it('refuses tokens of deleted workspaces, from the snapshot or a message', () => {
    const list = new RevocationList();
    list.applySnapshot({ deleted_workspaces: ['old'], revoked_clients: [] });
    list.revokeWorkspace('new');
    expect(list.refusal(caller('old', 'jwt', 'c1'), 0)).toContain('workspace');
    expect(list.refusal(caller('new', 'oidc', 'p1'), 0)).toContain('workspace');
    expect(list.refusal(caller('live', 'jwt', 'c1'), 0)).toBeUndefined();
  });

  it('refuses a revoked client until its tokens could expire, whichever source is later', () => {
    const list = new RevocationList();
    list.applySnapshot({
      deleted_workspaces: [],
      revoked_clients: [{ client_id: 'c1', until: new Date(1_000).toISOString() }],
    });
    list.revokeClients(['c1'], 500, 0);
    expect(list.refusal(caller('w', 'jwt', 'c1'), 999)).toContain('OAuth client');
    expect(list.refusal(caller('w', 'jwt', 'c1'), 1_000)).toBeUndefined();
    // A client id is checked only for Baton tokens.
    expect(list.refusal(caller('w', 'oidc', 'c1'), 0)).toBeUndefined();
  });

  it('keeps revocations received by message when a newer snapshot does not list them yet', () => {
    const list = new RevocationList();
    list.revokeClients(['c1'], 10_000, 0);
    list.revokeWorkspace('w2');
    list.applySnapshot({ deleted_workspaces: [], revoked_clients: [] });
    expect(list.refusal(caller('w', 'jwt', 'c1'), 5)).toContain('OAuth client');
    expect(list.refusal(caller('w2', 'jwt', 'x'), 5)).toContain('workspace');
  });

  it('refuses tokens of a deleted identity provider', () => {
    const list = new RevocationList();
    list.revokeProviders(['p1'], 100, 0);
    expect(list.refusal(caller('w', 'oidc', 'p1'), 50)).toContain('identity provider');
    expect(list.refusal(caller('w', 'oidc', 'p2'), 50)).toBeUndefined();
  });
});
