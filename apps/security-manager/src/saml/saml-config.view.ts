import type { SamlConfigView } from '@baton/contracts';
import { certificateFingerprint } from './idp-settings';
import type { SamlConfigEntity } from './saml-config.entity';
import { spUrlsOf } from './service-provider';

/** The config as an admin sees it: fingerprints and the SP's public certificate, never a key. */
export function toSamlConfigView(config: SamlConfigEntity, publicUrl: string): SamlConfigView {
  const urls = spUrlsOf(publicUrl, config.workspaceId);
  return {
    workspace_id: config.workspaceId,
    idp_entity_id: config.idpEntityId,
    idp_sso_url: config.idpSsoUrl,
    idp_certificate_fingerprints: config.idpCertificates.map(certificateFingerprint),
    attribute: config.attribute,
    role_mapping: config.roleMapping,
    default_role: config.defaultRole,
    session_ttl_seconds: config.sessionTtlSeconds,
    sp_entity_id: urls.entityId,
    sp_metadata_url: urls.metadataUrl,
    sp_acs_url: urls.acsUrl,
    sp_certificate: config.spCertificate,
    updated_at: config.updatedAt.toISOString(),
  };
}
