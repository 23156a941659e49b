/**
 * What an external identity provider's tokens may be signed with: asymmetric
 * algorithms only. Never `none`, and never HMAC, which would be keyed with
 * something not secret here (a public key, or a client secret the verifier
 * holds too). The gateway's bearer tokens and security-manager's OpenID sign-in
 * ID tokens are checked against the same list.
 */
export const PROVIDER_ALGORITHMS: readonly string[] = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];
