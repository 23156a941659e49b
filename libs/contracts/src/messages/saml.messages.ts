import {
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { WORKSPACE_ID_PATTERN } from '../envelope/envelope.schema';
import { WORKSPACE_ROLES } from '../security/permissions';
import { IntBetween, OptionalText } from '../fields';

/**
 * `PUT /v1/saml-config`: the workspace's SAML identity provider, either as its
 * metadata document or as its entity id, SSO URL and signing certificate, and
 * how one attribute of the assertion maps to Baton roles.
 */
export class PutSamlConfigCommand {
  /** The IdP's metadata XML (EntityDescriptor with an IDPSSODescriptor). */
  @OptionalText(200_000)
  idp_metadata_xml?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(1_024)
  idp_entity_id?: string;

  /** Where the browser is sent with the AuthnRequest (HTTP-Redirect binding). */
  @IsOptional()
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true, require_tld: false })
  @MaxLength(2_048)
  idp_sso_url?: string;

  /** The IdP's signing certificate, PEM or base64 DER. */
  @OptionalText(20_000)
  idp_certificate?: string;

  /** The assertion attribute whose values are mapped to roles, e.g. `role` or `groups`. */
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  attribute!: string;

  /** Attribute value → Baton workspace role (admin, developer, operator, viewer, agent). */
  @IsObject()
  role_mapping!: Record<string, string>;

  /** The role of a person none of whose attribute values is mapped; without it they are refused. */
  @IsOptional()
  @IsIn(WORKSPACE_ROLES)
  default_role?: string;

  /** How long a sign-in lasts; 8 hours unless set. */
  @IsOptional()
  @IntBetween(300, 86_400)
  session_ttl_seconds?: number;
}

/** What the gateway adds to every SAML message: where it is reached from browsers. */
export class SamlSpContext {
  /** The gateway's public base URL (BATON_PUBLIC_URL): the SP entity id and ACS URL derive from it. */
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true, require_tld: false })
  @MaxLength(512)
  public_url!: string;
}

/** `baton.saml.config.put`: the caller's workspace comes from the envelope. */
export class PutSamlConfigMessage extends PutSamlConfigCommand {
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true, require_tld: false })
  @MaxLength(512)
  public_url!: string;
}

/** `baton.saml.config.get` / `baton.saml.config.delete`. */
export class SamlConfigQuery extends SamlSpContext {}

/** SP endpoints before sign-in: the workspace comes from the URL, not from a credential. */
export class SamlWorkspaceQuery extends SamlSpContext {
  @Matches(WORKSPACE_ID_PATTERN, { message: 'workspace must be a workspace id' })
  workspace!: string;
}

/** `baton.saml.login`: an AuthnRequest for the workspace's IdP. */
export class SamlLoginQuery extends SamlWorkspaceQuery {
  /** Where the browser returns after sign-in: a path on the gateway. */
  @OptionalText(1_024)
  relay_state?: string;
}

/**
 * `baton.saml.acs`: the IdP's response, posted by the browser. The gateway
 * generated the session token; only its SHA-256 travels here.
 */
export class SamlAcsCommand extends SamlWorkspaceQuery {
  @IsString()
  @MinLength(1)
  @MaxLength(400_000)
  saml_response!: string;

  @Matches(/^[0-9a-f]{64}$/, { message: 'session_token_hash must be a SHA-256 in hex' })
  session_token_hash!: string;
}

/** `baton.session.verify` and `baton.session.delete`: a session by the digest of its token. */
export class SessionTokenQuery {
  @Matches(/^[0-9a-f]{64}$/, { message: 'token_hash must be a SHA-256 in hex' })
  token_hash!: string;
}

export interface SamlConfigView {
  workspace_id: string;
  idp_entity_id: string;
  idp_sso_url: string;
  /** SHA-256 fingerprints of the IdP signing certificates that are trusted. */
  idp_certificate_fingerprints: string[];
  attribute: string;
  role_mapping: Record<string, string>;
  default_role: string | null;
  session_ttl_seconds: number;
  sp_entity_id: string;
  sp_metadata_url: string;
  sp_acs_url: string;
  /** The SP's own certificate (public): the IdP checks AuthnRequest signatures with it. */
  sp_certificate: string;
  updated_at: string;
}

export interface SamlLoginView {
  redirect_url: string;
}

export interface SamlMetadataView {
  xml: string;
}

/** Who signed in: the session is known by the digest of its token only. */
export interface SessionView {
  session_id: string;
  principal: string;
  workspace_id: string;
  roles: string[];
  expires_at: string;
  /** How it was opened: `saml`, or `oidc:<identity provider id>` (sessionSources). */
  source: string;
}

/**
 * The `source` of a console session. Deleting the SAML configuration or an
 * identity provider ends the sessions of that source; the gateway that served
 * the deletion forgets them by it before answering.
 */
export const sessionSources = {
  saml: 'saml',
  oidc: (providerId: string): string => `oidc:${providerId}`,
} as const;
