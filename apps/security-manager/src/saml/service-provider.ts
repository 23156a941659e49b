import { SAML, ValidateInResponseTo, type CacheProvider } from '@node-saml/node-saml';
import type { SamlConfigEntity } from './saml-config.entity';
import type { SamlRepository } from './saml.repository';

/** How long an AuthnRequest may wait for its response. */
export const REQUEST_LIFETIME_MS = 10 * 60_000;
/** Clocks of the IdP and of Baton may differ by this much in the time window checks. */
export const CLOCK_SKEW_MS = 60_000;

export interface SpUrls {
  entityId: string;
  metadataUrl: string;
  acsUrl: string;
}

/** The SP's URLs of a workspace under the gateway's public URL: the entity id is its metadata URL. */
export function spUrlsOf(publicUrl: string, workspaceId: string): SpUrls {
  const base = `${publicUrl.replace(/\/+$/, '')}/saml/${encodeURIComponent(workspaceId)}`;
  return { entityId: `${base}/metadata`, metadataUrl: `${base}/metadata`, acsUrl: `${base}/acs` };
}

/**
 * node-saml keeps the ids of AuthnRequests it sent to check InResponseTo;
 * here they live in Postgres, so any replica can take the response, and a
 * request is answered once.
 */
export class PostgresRequestCache implements CacheProvider {
  constructor(
    private readonly repository: SamlRepository,
    private readonly workspaceId: string,
  ) {}

  async saveAsync(key: string, value: string): Promise<{ value: string; createdAt: number }> {
    const createdAt = Date.now();
    await this.repository.saveRequest(
      this.workspaceId,
      key,
      new Date(createdAt + REQUEST_LIFETIME_MS),
    );
    return { value, createdAt };
  }

  /** node-saml reads the answer as the time the request was made. */
  getAsync(key: string): Promise<string | null> {
    return this.repository.pendingRequest(this.workspaceId, key);
  }

  async removeAsync(key: string | null): Promise<string | null> {
    if (key) await this.repository.removeRequest(this.workspaceId, key);
    return key;
  }
}

/**
 * The workspace's SP as node-saml sees it: signs its AuthnRequests, demands
 * signed assertions from the configured IdP (issuer and certificates),
 * checks audience, time window and InResponseTo, and decrypts encrypted
 * assertions with its own key.
 */
export function serviceProviderOf(
  config: SamlConfigEntity,
  urls: SpUrls,
  spPrivateKey: string,
  cache: CacheProvider,
): SAML {
  return new SAML({
    issuer: urls.entityId,
    audience: urls.entityId,
    callbackUrl: urls.acsUrl,
    entryPoint: config.idpSsoUrl,
    idpIssuer: config.idpEntityId,
    idpCert: config.idpCertificates,
    privateKey: spPrivateKey,
    publicCert: config.spCertificate,
    decryptionPvk: spPrivateKey,
    signatureAlgorithm: 'sha256',
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    validateInResponseTo: ValidateInResponseTo.always,
    requestIdExpirationPeriodMs: REQUEST_LIFETIME_MS,
    cacheProvider: cache,
    acceptedClockSkewMs: CLOCK_SKEW_MS,
    disableRequestedAuthnContext: true,
    identifierFormat: null,
  });
}
