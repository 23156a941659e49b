import type { MigrationInterface, QueryRunner } from 'typeorm';

/** SAML single sign-on per workspace, and the sessions people hold after signing in. */
export class SamlSessions1765000000003 implements MigrationInterface {
  name = 'SamlSessions1765000000003';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE saml_configs (
        workspace_id text PRIMARY KEY REFERENCES workspaces (id),
        idp_entity_id text NOT NULL,
        idp_sso_url text NOT NULL,
        idp_certificates jsonb NOT NULL,
        attribute text NOT NULL,
        role_mapping jsonb NOT NULL,
        default_role text,
        session_ttl_seconds integer NOT NULL,
        sp_certificate text NOT NULL,
        sp_private_key_sealed text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // AuthnRequests waiting for their answer: a response must answer one of these, once.
    await runner.query(`
      CREATE TABLE saml_requests (
        workspace_id text NOT NULL,
        request_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, request_id)
      )`);
    // Every assertion accepted, until it could no longer pass the time window: a replay is refused.
    await runner.query(`
      CREATE TABLE saml_assertions (
        workspace_id text NOT NULL,
        assertion_id text NOT NULL,
        accepted_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, assertion_id)
      )`);
    await runner.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY,
        workspace_id text NOT NULL REFERENCES workspaces (id),
        token_hash text NOT NULL UNIQUE,
        principal text NOT NULL,
        roles jsonb NOT NULL,
        source text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    await runner.query(`CREATE INDEX sessions_expiry ON sessions (expires_at)`);
    await runner.query(`CREATE INDEX saml_requests_expiry ON saml_requests (expires_at)`);
    await runner.query(`CREATE INDEX saml_assertions_expiry ON saml_assertions (expires_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE sessions');
    await runner.query('DROP TABLE saml_assertions');
    await runner.query('DROP TABLE saml_requests');
    await runner.query('DROP TABLE saml_configs');
  }
}
