import { WorkspaceRow } from '@baton/database';
import { Column, Entity } from 'typeorm';

/** An external OpenID provider whose access tokens a workspace accepts. */
@Entity({ name: 'identity_providers' })
export class IdentityProviderEntity extends WorkspaceRow {
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

  /** Console sign-in (ADR 0037): Baton's confidential client at this provider, when set. */
  @Column({ name: 'client_id', type: 'text', nullable: true })
  clientId!: string | null;

  /** Sealed with the keyring (clientSecretContext); opened only to call the token endpoint. */
  @Column({ name: 'client_secret_sealed', type: 'text', nullable: true })
  clientSecretSealed!: string | null;

  /** Space-separated, `openid` among them. */
  @Column({ type: 'text', nullable: true })
  scopes!: string | null;

  /** From the discovery document, like jwks_uri. */
  @Column({ name: 'authorization_endpoint', type: 'text', nullable: true })
  authorizationEndpoint!: string | null;

  @Column({ name: 'token_endpoint', type: 'text', nullable: true })
  tokenEndpoint!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** The associated data of a provider's sealed client secret: it opens on its own row only. */
export const clientSecretContext = (workspaceId: string, providerId: string): string =>
  `oidc-client-secret/${workspaceId}/${providerId}`;
