import {
  ACCESS_TOKEN_TYPE,
  claimRoles,
  DomainError,
  ErrorCodes,
  isRole,
  PROVIDER_ALGORITHMS,
  SIGNING_ALGORITHM,
  TOKEN_CLAIMS,
  type IdentityProviderEntry,
} from '@baton/contracts';
import { currentContext } from '@baton/telemetry';
import { Injectable } from '@nestjs/common';
import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import type { Authenticator } from './authenticator';
import type { Caller, CallerRequest } from './caller';
import { BatonKeys, IdentityProviderKeys } from './jwt-keys';
import { RevokedCredentials } from './revoked-credentials';

/** Three base64url parts; anything else is left to the other authenticators (an API key). */
const BEARER_JWT = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/i;
/** Longer bearer tokens are refused before any parsing. */
export const MAX_TOKEN_LENGTH = 8_192;
const CLOCK_TOLERANCE_S = 30;

const unauthorized = (detail: string) => new DomainError(ErrorCodes.unauthorized, detail);
const quoted = (value: unknown) => `'${String(value).slice(0, 100)}'`;

/**
 * `Authorization: Bearer <JWT>`: Baton's own access tokens (issued at
 * /oauth/token) and those of a workspace's OpenID providers, verified here
 * against key sets the gateway keeps, with no round trip per request.
 */
@Injectable()
export class JwtAuthenticator implements Authenticator {
  constructor(
    private readonly baton: BatonKeys,
    private readonly providers: IdentityProviderKeys,
    private readonly revoked: RevokedCredentials,
  ) {}

  async authenticate(request: CallerRequest): Promise<Caller | undefined> {
    const header = request.header('authorization') ?? '';
    if (header.length > MAX_TOKEN_LENGTH + 20) {
      if (/^Bearer\s+ey/i.test(header))
        throw unauthorized('malformed token: longer than 8192 characters');
      return undefined;
    }
    const token = BEARER_JWT.exec(header)?.[1];
    if (!token) return undefined;
    try {
      decodeProtectedHeader(token);
    } catch {
      return undefined; // dots, but not a JWT: perhaps a key of another kind
    }
    let claims: JWTPayload;
    try {
      claims = decodeJwt(token);
    } catch {
      throw unauthorized('malformed token: its payload is not a JSON claims set');
    }
    const correlationId = currentContext().correlationId ?? 'unknown';
    const baton = await this.baton.current();
    const caller =
      claims.iss === baton.issuer
        ? await this.verifyBaton(token, baton, correlationId)
        : await this.verifyExternal(token, claims, correlationId);
    // A valid signature is not enough: its client, provider or workspace may have been deleted.
    await this.revoked.assertAccepted(caller);
    return caller;
  }

  private async verifyBaton(
    token: string,
    settings: { issuer: string; audience: string },
    correlationId: string,
  ): Promise<Caller> {
    const { payload } = await verifying(() =>
      jwtVerify(token, this.baton.resolver, {
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms: [SIGNING_ALGORITHM],
        typ: ACCESS_TOKEN_TYPE,
        requiredClaims: ['exp', 'iat', 'sub', 'jti', TOKEN_CLAIMS.workspace, TOKEN_CLAIMS.role],
        clockTolerance: 5,
      }),
    );
    const workspace = payload[TOKEN_CLAIMS.workspace];
    const role = payload[TOKEN_CLAIMS.role];
    if (typeof workspace !== 'string' || !isRole(role)) {
      throw unauthorized('token claims: workspace_id or role is not valid');
    }
    const clientId = payload[TOKEN_CLAIMS.clientId];
    return {
      principal: payload.sub as string,
      workspaceId: workspace,
      roles: [role],
      correlationId,
      credential: {
        kind: 'jwt',
        id: typeof clientId === 'string' ? clientId : (payload.jti as string),
      },
    };
  }

  private async verifyExternal(
    token: string,
    claims: JWTPayload,
    correlationId: string,
  ): Promise<Caller> {
    if (typeof claims.iss !== 'string') throw unauthorized('token has no issuer (iss)');
    const audiences =
      typeof claims.aud === 'string'
        ? [claims.aud]
        : Array.isArray(claims.aud)
          ? claims.aud.filter((a) => typeof a === 'string')
          : [];
    if (audiences.length === 0) throw unauthorized('token has no audience (aud)');
    const found = await this.providers.find(claims.iss, audiences);
    if (found.length === 0) {
      throw unauthorized(
        `token audience: no identity provider trusts issuer ${quoted(claims.iss)} for this audience`,
      );
    }
    if (found.length > 1) {
      throw unauthorized(
        'token audience: names providers of more than one workspace; ask your provider for one audience',
      );
    }
    const provider = found[0];
    const { payload } = await verifying(() =>
      jwtVerify(token, this.providers.resolverFor(provider.id), {
        issuer: provider.issuer,
        audience: provider.audience,
        algorithms: [...PROVIDER_ALGORITHMS],
        requiredClaims: ['exp'],
        clockTolerance: CLOCK_TOLERANCE_S,
      }),
    );
    const roles = mappedRoles(provider, payload);
    if (roles.length === 0) {
      throw new DomainError(
        ErrorCodes.forbidden,
        `token claim '${provider.claim}' maps to no role in this workspace`,
      );
    }
    return {
      principal: `oidc:${provider.id}:${String(payload.sub ?? payload.client_id ?? 'unknown').slice(0, 200)}`,
      workspaceId: provider.workspace_id,
      roles,
      correlationId,
      credential: { kind: 'oidc', id: provider.id },
    };
  }
}

/** The workspace roles a provider's mapping gives the values of its claim (a string or a list). */
export function mappedRoles(provider: IdentityProviderEntry, payload: JWTPayload): string[] {
  return claimRoles(payload, provider.claim, provider.role_mapping);
}

/** jose's failures as 401s that say what failed. */
async function verifying<T>(verify: () => Promise<T>): Promise<T> {
  try {
    return await verify();
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw unauthorized(describeFailure(error));
  }
}

export function describeFailure(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'token expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return 'token audience is not accepted here';
    if (error.claim === 'iss') return 'token issuer is not accepted here';
    if (error.claim === 'typ') return `token type must be ${ACCESS_TOKEN_TYPE}`;
    if (error.claim === 'nbf') return 'token is not valid yet';
    return `token claim '${error.claim}': ${error.reason === 'missing' ? 'missing' : 'not valid'}`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'token signature is invalid';
  if (error instanceof errors.JWKSNoMatchingKey)
    return 'token signed by a key the issuer does not publish';
  if (error instanceof errors.JWKSMultipleMatchingKeys)
    return 'token key id matches more than one key';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'token algorithm is not accepted';
  if (error instanceof errors.JOSENotSupported)
    return 'token algorithm or key type is not supported';
  if (error instanceof errors.JWTInvalid || error instanceof errors.JWSInvalid)
    return 'malformed token';
  if (error instanceof DomainError) return error.detail;
  return 'token could not be verified';
}
