import { PROVIDER_ALGORITHMS, type PublicJwk } from '@baton/contracts';
import { createLocalJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';

const CLOCK_TOLERANCE_SECONDS = 60;

export class IdTokenRejected extends Error {}

export interface ExpectedIdToken {
  issuer: string;
  clientId: string;
  nonce: string;
  now?: Date;
}

/**
 * The claims of an ID token, once its signature (the provider's published
 * keys), issuer, audience, authorized party, expiry and nonce are checked
 * (OIDC Core §3.1.3.7); IdTokenRejected says which check failed.
 */
export async function verifyIdToken(
  idToken: string,
  keys: PublicJwk[],
  expected: ExpectedIdToken,
): Promise<JWTPayload> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken, createLocalJWKSet({ keys } as JSONWebKeySet), {
      issuer: expected.issuer,
      audience: expected.clientId,
      algorithms: [...PROVIDER_ALGORITHMS],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['sub', 'exp', 'iat'],
      currentDate: expected.now,
    }));
  } catch (error) {
    throw new IdTokenRejected(reasonOf(error));
  }
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  // With several audiences the token must be for us as its authorized party.
  if (audiences.length > 1 && payload.azp !== expected.clientId)
    throw new IdTokenRejected('ID token azp is not this client');
  if (payload.azp !== undefined && payload.azp !== expected.clientId)
    throw new IdTokenRejected('ID token azp is not this client');
  if (payload.nonce !== expected.nonce)
    throw new IdTokenRejected('ID token nonce does not match this sign-in');
  return payload;
}

function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'ID token expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return 'ID token audience is not this client';
    if (error.claim === 'iss') return 'ID token issuer is not this provider';
    return `ID token claim '${error.claim}': ${error.reason === 'missing' ? 'missing' : 'not valid'}`;
  }
  if (error instanceof errors.JWKSNoMatchingKey)
    return 'ID token is signed with a key the provider does not publish';
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return 'ID token signature is invalid';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'ID token algorithm is not accepted';
  if (error instanceof errors.JOSEError) return 'ID token is malformed';
  return 'ID token could not be verified';
}
