import { DomainError } from '@baton/contracts';
import { ApiKeyEntity } from './api-key.entity';
import type { ApiKeysRepository, KeyWithWorkspace } from './api-keys.repository';
import { VerifyApiKeyUseCase } from './verify-api-key.usecase';

const HASH = 'a'.repeat(64);
const NOW = new Date('2026-01-01T00:00:00Z');

function key(overrides: Partial<ApiKeyEntity> = {}): ApiKeyEntity {
  return Object.assign(new ApiKeyEntity(), {
    id: '00000000-0000-4000-8000-000000000001',
    workspaceId: 'acme',
    name: 'ci',
    prefix: 'bk_abcdefghi',
    keyHash: HASH,
    roles: ['viewer'],
    createdAt: NOW,
    lastUsedAt: NOW,
    revokedAt: null,
    origin: 'api',
    scopes: null,
    expiresAt: null,
    createdBy: 'apikey:bootstrap',
    replacedBy: null,
    ...overrides,
  });
}

/** The repository as the use case sees it, holding one key (or none). */
function verifier(found: KeyWithWorkspace | null): {
  useCase: VerifyApiKeyUseCase;
  touched: string[];
} {
  const touched: string[] = [];
  const repository = {
    findByHash: async (hash: string) => (hash === HASH ? found : null),
    touch: async (id: string) => {
      touched.push(id);
    },
  } as unknown as ApiKeysRepository;
  return { useCase: new VerifyApiKeyUseCase(repository), touched };
}

async function refusal(found: KeyWithWorkspace | null): Promise<DomainError> {
  const { useCase } = verifier(found);
  return useCase.execute({ key_hash: HASH }, NOW).then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: DomainError) => error,
  );
}

describe('VerifyApiKeyUseCase', () => {
  it('answers the principal, its scopes and expiry for an active key', async () => {
    const expiresAt = new Date('2026-02-01T00:00:00Z');
    const { useCase } = verifier({
      key: key({ expiresAt, scopes: ['runs:read'] }),
      workspaceDeleted: false,
    });
    await expect(useCase.execute({ key_hash: HASH }, NOW)).resolves.toEqual({
      principal: 'apikey:ci',
      workspace_id: 'acme',
      roles: ['viewer'],
      key_id: '00000000-0000-4000-8000-000000000001',
      expires_at: expiresAt.toISOString(),
      scopes: ['runs:read'],
    });
  });

  it('refuses an unknown key with 401', async () => {
    const error = await refusal(null);
    expect(error.status).toBe(401);
    expect(error.detail).toBe('invalid API key');
  });

  it('names revocation, a deleted workspace and expiry', async () => {
    expect(
      (await refusal({ key: key({ revokedAt: NOW }), workspaceDeleted: false })).detail,
    ).toMatch(/revoked/);
    expect((await refusal({ key: key(), workspaceDeleted: true })).detail).toMatch(
      /workspace .* deleted/,
    );
    const expired = await refusal({ key: key({ expiresAt: NOW }), workspaceDeleted: false });
    expect(expired.status).toBe(401);
    expect(expired.detail).toBe(`API key expired at ${NOW.toISOString()}`);
    const rotated = await refusal({
      key: key({ expiresAt: NOW, replacedBy: '00000000-0000-4000-8000-000000000002' }),
      workspaceDeleted: false,
    });
    expect(rotated.detail).toMatch(/rotated and its grace period is over/);
  });

  it('records use at most once a minute', async () => {
    const fresh = verifier({ key: key({ lastUsedAt: NOW }), workspaceDeleted: false });
    await fresh.useCase.execute({ key_hash: HASH }, NOW);
    expect(fresh.touched).toEqual([]);
    const stale = verifier({
      key: key({ lastUsedAt: new Date(NOW.getTime() - 61_000) }),
      workspaceDeleted: false,
    });
    await stale.useCase.execute({ key_hash: HASH }, NOW);
    expect(stale.touched).toHaveLength(1);
  });
});
