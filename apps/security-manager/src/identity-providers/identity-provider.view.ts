import type { IdentityProviderEntry, IdentityProviderView } from '@baton/contracts';
import type { IdentityProviderEntity } from './identity-provider.entity';

export function toIdentityProviderView(provider: IdentityProviderEntity): IdentityProviderView {
  return {
    id: provider.id,
    issuer: provider.issuer,
    audience: provider.audience,
    claim: provider.claim,
    role_mapping: provider.roleMapping,
    jwks_uri: provider.jwksUri,
    client_id: provider.clientId,
    client_secret_set: provider.clientSecretSealed !== null,
    scopes: provider.scopes,
    created_at: provider.createdAt.toISOString(),
  };
}

export function toDirectoryEntry(provider: IdentityProviderEntity): IdentityProviderEntry {
  return {
    id: provider.id,
    workspace_id: provider.workspaceId,
    issuer: provider.issuer,
    audience: provider.audience,
    claim: provider.claim,
    role_mapping: provider.roleMapping,
  };
}
