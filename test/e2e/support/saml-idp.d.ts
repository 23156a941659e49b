export interface SamlIdpUser {
  email: string;
  attributes: Record<string, string | string[]>;
}

export interface SamlIdp {
  /** The IdP's metadata XML (entity id, SSO URL, signing certificate), for PUT /v1/saml-config. */
  metadataXml: string;
  /** The AuthnRequests it accepted (their ids, issuer and signature algorithm). */
  requests: { id: string; issuer: string; sigAlg: string }[];
  /** Trusts Baton's SP metadata (GET /saml/{workspace}/metadata): its certificate checks the requests. */
  trustServiceProvider(metadataXml: string): void;
  /** Who signs in next, and template values of the response to override (e.g. Audience). */
  signInAs(user: SamlIdpUser, tags?: Record<string, string>): void;
  close(): Promise<void>;
}

export declare function startSamlIdp(): Promise<SamlIdp>;
export declare function formOf(html: string): {
  action?: string;
  SAMLResponse?: string;
  RelayState?: string;
};
