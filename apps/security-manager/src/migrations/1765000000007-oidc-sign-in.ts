import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Console sign-in through a workspace's OpenID provider (ADR 0037): the
 * client Baton has at the provider (secret sealed), the endpoints discovered
 * with it, and the logins under way, each used once.
 */
export class OidcSignIn1765000000007 implements MigrationInterface {
  name = 'OidcSignIn1765000000007';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE identity_providers
        ADD COLUMN client_id text,
        ADD COLUMN client_secret_sealed text,
        ADD COLUMN scopes text,
        ADD COLUMN authorization_endpoint text,
        ADD COLUMN token_endpoint text`);
    // Only digests of the state and of the browser's login cookie are kept; a row lives minutes.
    await runner.query(`
      CREATE TABLE oidc_logins (
        state_hash text PRIMARY KEY,
        workspace_id text NOT NULL,
        provider_id uuid NOT NULL REFERENCES identity_providers (id) ON DELETE CASCADE,
        browser_hash text NOT NULL,
        nonce text NOT NULL,
        code_verifier text NOT NULL,
        return_to text NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
    // Pruning by age, and counting a workspace's logins under way (they are capped).
    await runner.query(`CREATE INDEX oidc_logins_expires_at ON oidc_logins (expires_at)`);
    await runner.query(
      `CREATE INDEX oidc_logins_workspace ON oidc_logins (workspace_id, expires_at)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE oidc_logins');
    await runner.query(`
      ALTER TABLE identity_providers
        DROP COLUMN client_id, DROP COLUMN client_secret_sealed, DROP COLUMN scopes,
        DROP COLUMN authorization_endpoint, DROP COLUMN token_endpoint`);
  }
}
