import type { Caller, CallerRequest } from './caller';

/**
 * One kind of credential the gateway accepts (API key, Baton JWT, external
 * OIDC token, SAML session cookie). The auth guard asks each in turn.
 */
export interface Authenticator {
  /**
   * The caller, or undefined when the request carries no credential of this
   * kind. A credential of this kind that is bad (unknown, expired, revoked,
   * wrong audience) throws a DomainError(unauthorized) naming what failed.
   */
  authenticate(request: CallerRequest): Promise<Caller | undefined>;
}

/** The ordered list of authenticators, provided by the gateway module. */
export const AUTHENTICATORS = Symbol('AUTHENTICATORS');
