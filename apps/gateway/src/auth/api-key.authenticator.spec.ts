import type { PrincipalView } from '@baton/contracts';
import type { GatewayEnv } from '../gateway.env';
import { createHash } from 'node:crypto';
import type { PlatformClient } from '../platform/platform-client';
import { ApiKeyAuthenticator } from './api-key.authenticator';
import type { CallerRequest } from './caller';

const KEY = 'bk_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG';
const principal: PrincipalView = {
  principal: 'apikey:ci',
  workspace_id: 'acme',
  roles: ['viewer'],
  key_id: 'k1',
  expires_at: null,
  scopes: ['runs:read'],
};

/** security-manager as the authenticator sees it: answers verifications when told to. */
function setup() {
  const asked: unknown[] = [];
  const pending: ((value: PrincipalView) => void)[] = [];
  const platform = {
    sendAsSystem: (_topic: string, _type: string, data: unknown) => {
      asked.push(data);
      return new Promise<PrincipalView>((resolve) => pending.push(resolve));
    },
  } as unknown as PlatformClient;
  const config = { AUTH_CACHE_TTL_MS: 60_000 } as GatewayEnv;
  const authenticator = new ApiKeyAuthenticator(platform, config);
  const request = {
    header: (name: string) => (name === 'authorization' ? `Bearer ${KEY}` : undefined),
  } as unknown as CallerRequest;
  const answer = async () => {
    while (pending.length === 0) await new Promise((resolve) => setImmediate(resolve));
    pending.shift()!(principal);
  };
  return { authenticator, request, asked, answer };
}

describe('ApiKeyAuthenticator', () => {
  it('asks with the SHA-256 of the key, never the key, and carries the scopes to the caller', async () => {
    const { authenticator, request, asked, answer } = setup();
    const caller = authenticator.authenticate(request);
    await answer();
    await expect(caller).resolves.toMatchObject({
      workspaceId: 'acme',
      scopes: ['runs:read'],
      credential: { kind: 'api-key', id: 'k1' },
    });
    expect(asked).toEqual([{ key_hash: createHash('sha256').update(KEY).digest('hex') }]);
    expect(JSON.stringify(asked)).not.toContain(KEY);
  });

  it('answers from its cache until the key is revoked', async () => {
    const { authenticator, request, asked, answer } = setup();
    const first = authenticator.authenticate(request);
    await answer();
    await first;
    await authenticator.authenticate(request);
    expect(asked).toHaveLength(1);
    authenticator.forgetKeys(['k1']);
    const again = authenticator.authenticate(request);
    await answer();
    await again;
    expect(asked).toHaveLength(2);
  });

  it('does not cache an answer that was in flight when a revocation arrived', async () => {
    const { authenticator, request, asked, answer } = setup();
    const inFlight = authenticator.authenticate(request);
    authenticator.forgetKeys(['k1']);
    await answer();
    await inFlight;
    const next = authenticator.authenticate(request);
    await answer();
    await next;
    expect(asked).toHaveLength(2);
  });

  it('sends one verification for requests that arrive with the key while it is verified', async () => {
    const { authenticator, request, asked, answer } = setup();
    const callers = [1, 2, 3].map(() => authenticator.authenticate(request));
    await answer();
    const answered = await Promise.all(callers);
    expect(answered.map((caller) => caller?.workspaceId)).toEqual(['acme', 'acme', 'acme']);
    expect(asked).toHaveLength(1);
  });

  it('does not let a request join a verification that was under way when a revocation arrived', async () => {
    const { authenticator, request, asked, answer } = setup();
    const before = authenticator.authenticate(request);
    authenticator.forgetKeys(['k1']);
    const after = authenticator.authenticate(request);
    await answer();
    await answer();
    await Promise.all([before, after]);
    expect(asked).toHaveLength(2);
  });
});
