import type { IssuedApiKeyView, WorkspaceView } from '@baton/contracts';
import { randomBytes } from 'node:crypto';
import { api, platformState } from './platform';

/**
 * Workspaces and keys for tests, made through the API as a platform admin
 * would: the bootstrap key (BATON_BOOTSTRAP_API_KEY, role platform-admin)
 * creates a workspace and issues its keys.
 */

/** The bootstrap key: platform-admin of the default workspace. */
export function bootstrapKey(): string {
  return platformState().apiKey;
}

/** Creates a workspace (`<prefix>-<random>`) and answers its id. */
export async function createWorkspace(prefix: string): Promise<string> {
  const id = `${prefix}-${randomBytes(4).toString('hex')}`;
  const created = await api<WorkspaceView>('POST', '/v1/workspaces', {
    apiKey: bootstrapKey(),
    body: { id, name: id },
  });
  if (created.status !== 201)
    throw new Error(`workspace ${id} not created: ${JSON.stringify(created.body)}`);
  return id;
}

/** A key of `workspace` with `role`, issued by the platform admin; answers the key itself. */
export async function issueKey(workspace: string, role: string, name?: string): Promise<string> {
  const issued = await api<IssuedApiKeyView>('POST', `/v1/workspaces/${workspace}/api-keys`, {
    apiKey: bootstrapKey(),
    body: { name: name ?? `e2e-${role}-${randomBytes(3).toString('hex')}`, role },
  });
  if (issued.status !== 201)
    throw new Error(`${role} key of ${workspace} not issued: ${JSON.stringify(issued.body)}`);
  return issued.body.key;
}

/** A new workspace with `count` keys of `role` (admin by default). */
export async function workspaceWithKeys(
  prefix: string,
  count = 1,
  role = 'admin',
): Promise<{ id: string; keys: string[] }> {
  const id = await createWorkspace(prefix);
  const keys: string[] = [];
  for (let i = 0; i < count; i++) keys.push(await issueKey(id, role, `e2e-${role}-${i}`));
  return { id, keys };
}

/**
 * A platform-admin key, for platform-wide routes: the bootstrap key, since
 * the API issues workspace roles only (no call mints another platform admin).
 */
export function platformAdminKey(): Promise<string> {
  return Promise.resolve(bootstrapKey());
}

/**
 * Takes the default workspace's llm budget away (`PUT /v1/llm-budget {}`).
 * The fuzz suite sends random budgets to every route, the default
 * workspace's included: a tiny `cost_per_day` left by it failed every later
 * llm call of that workspace with budget_exceeded, depending on the seed.
 */
export async function clearDefaultLlmBudget(): Promise<void> {
  const cleared = await api('PUT', '/v1/llm-budget', { body: {} });
  if (cleared.status !== 200) throw new Error(`PUT /v1/llm-budget answered ${cleared.status}`);
}
