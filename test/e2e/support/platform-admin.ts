import { randomBytes, createHash, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { platformState } from './platform';

/**
 * A platform-admin API key for tests of platform-wide routes (signing-key
 * rotation), written the way security-manager writes the bootstrap key: its
 * hash in security_manager.api_keys. Until the API can mint one (issue 18,
 * workspaces), this is how a test gets the platform-admin role.
 */
export async function platformAdminKey(): Promise<string> {
  const key = `bk_e2e_platform_${randomBytes(24).toString('base64url')}`;
  const db = new Client({ connectionString: platformState().databaseUrl });
  await db.connect();
  try {
    await db.query(
      `INSERT INTO security_manager.api_keys (id, workspace_id, name, prefix, key_hash, roles, created_at)
       VALUES ($1, 'default', $2, $3, $4, '["platform-admin"]'::jsonb, now())`,
      [
        randomUUID(),
        `e2e-platform-admin-${randomUUID()}`,
        key.slice(0, 12),
        createHash('sha256').update(key).digest('hex'),
      ],
    );
  } finally {
    await db.end();
  }
  return key;
}
