import { SIGNING_ALGORITHM, type PublicJwk } from '@baton/contracts';
import type { SecretBox } from '@baton/service-kit';
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type KeyLike,
} from 'jose';
import type { NewSigningKey } from './signing-keys.repository';

/** The context a private key is sealed under: a sealed key copied onto another row does not open. */
export const sealContext = (kid: string): string => `signing-key/${kid}`;

/** A fresh ES256 key pair; its kid is the RFC 7638 thumbprint of the public key. */
export async function generateSigningKey(box: SecretBox): Promise<NewSigningKey> {
  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const privateJwk = await exportJWK(privateKey);
  return {
    kid,
    alg: SIGNING_ALGORITHM,
    publicJwk: { ...publicJwk, kid, alg: SIGNING_ALGORITHM, use: 'sig' },
    privateSealed: box.seal(privateJwk, sealContext(kid)),
  };
}

export async function openPrivateKey(
  box: SecretBox,
  kid: string,
  alg: string,
  sealed: string,
): Promise<KeyLike> {
  const jwk = box.open(sealed, sealContext(kid)) as JWK;
  return (await importJWK(jwk, alg)) as KeyLike;
}

/** Only the public parameters of an EC or OKP key, whatever else a stored JWK holds. */
export function publicOnly(jwk: Record<string, unknown>): PublicJwk {
  const { kty, crv, x, y, kid, alg, use } = jwk as Record<string, string>;
  return { kty, crv, x, y, kid, alg, use };
}
