import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An external OpenID provider whose access tokens a workspace accepts. */
@Entity({ name: 'identity_providers' })
export class IdentityProviderEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'workspace_id', type: 'text' })
  workspaceId!: string;

  @Column({ type: 'text' })
  issuer!: string;

  @Column({ type: 'text' })
  audience!: string;

  @Column({ type: 'text' })
  claim!: string;

  @Column({ name: 'role_mapping', type: 'jsonb' })
  roleMapping!: Record<string, string>;

  /** From the issuer's discovery document when the provider was added. */
  @Column({ name: 'jwks_uri', type: 'text' })
  jwksUri!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
