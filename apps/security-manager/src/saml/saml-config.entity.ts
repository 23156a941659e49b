import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A workspace's SAML identity provider, role mapping and its own SP key (sealed). */
@Entity({ name: 'saml_configs' })
export class SamlConfigEntity {
  @PrimaryColumn({ name: 'workspace_id', type: 'text' })
  workspaceId!: string;

  @Column({ name: 'idp_entity_id', type: 'text' })
  idpEntityId!: string;

  @Column({ name: 'idp_sso_url', type: 'text' })
  idpSsoUrl!: string;

  /** PEM certificates; more than one while the IdP rotates its key. */
  @Column({ name: 'idp_certificates', type: 'jsonb' })
  idpCertificates!: string[];

  @Column({ type: 'text' })
  attribute!: string;

  @Column({ name: 'role_mapping', type: 'jsonb' })
  roleMapping!: Record<string, string>;

  @Column({ name: 'default_role', type: 'text', nullable: true })
  defaultRole!: string | null;

  @Column({ name: 'session_ttl_seconds', type: 'integer' })
  sessionTtlSeconds!: number;

  @Column({ name: 'sp_certificate', type: 'text' })
  spCertificate!: string;

  /** SecretBox-sealed PEM private key, bound to the workspace. */
  @Column({ name: 'sp_private_key_sealed', type: 'text' })
  spPrivateKeySealed!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
