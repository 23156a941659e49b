import type { MigrationInterface, QueryRunner } from 'typeorm';

/** OAuth clients, Baton's token signing keys and external OpenID providers (issue 18, part B). */
export class Tokens1765000000002 implements MigrationInterface {
  name = 'Tokens1765000000002';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE signing_keys (
        kid text PRIMARY KEY,
        alg text NOT NULL,
        public_jwk jsonb NOT NULL,
        private_sealed text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        retired_at timestamptz,
        published_until timestamptz
      )`);
    // At most one key signs at a time, whatever the number of replicas.
    await runner.query(
      `CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys ((true)) WHERE retired_at IS NULL`,
    );
    await runner.query(`
      CREATE TABLE oauth_clients (
        id uuid PRIMARY KEY,
        workspace_id text NOT NULL REFERENCES workspaces (id),
        client_id text NOT NULL UNIQUE,
        name text NOT NULL,
        role text NOT NULL,
        secret_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        deleted_at timestamptz
      )`);
    await runner.query(
      `CREATE INDEX oauth_clients_workspace ON oauth_clients (workspace_id, created_at) WHERE deleted_at IS NULL`,
    );
    await runner.query(`
      CREATE TABLE identity_providers (
        id uuid PRIMARY KEY,
        workspace_id text NOT NULL REFERENCES workspaces (id),
        issuer text NOT NULL,
        audience text NOT NULL,
        claim text NOT NULL,
        role_mapping jsonb NOT NULL,
        jwks_uri text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // A token names its provider by iss + aud: one provider (so one workspace) per pair.
    await runner.query(
      `CREATE UNIQUE INDEX identity_providers_issuer_audience ON identity_providers (issuer, audience)`,
    );
    await runner.query(
      `CREATE INDEX identity_providers_workspace ON identity_providers (workspace_id, created_at)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE identity_providers');
    await runner.query('DROP TABLE oauth_clients');
    await runner.query('DROP TABLE signing_keys');
  }
}
