import { ACCESS_TOKEN_TYPE } from '@baton/contracts';
import { SecretBox } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { SignJWT, type JWTPayload, type KeyLike } from 'jose';
import { randomUUID } from 'node:crypto';
import { openPrivateKey } from './signing-key-material';
import { SigningKeysRepository } from './signing-keys.repository';
import { TokenSettings } from './token-settings';

export interface SignedToken {
  token: string;
  expiresIn: number;
}

/**
 * Signs access tokens with the active key. The active key is looked up on
 * every signature (tokens are issued rarely; verifying them never comes
 * here), so a replica never signs with a key another replica retired; the
 * opened private key is kept in memory by kid.
 */
@Injectable()
export class TokenSigner {
  private readonly opened = new Map<string, Promise<KeyLike>>();

  constructor(
    private readonly keys: SigningKeysRepository,
    private readonly box: SecretBox,
    private readonly settings: TokenSettings,
  ) {}

  async sign(subject: string, claims: JWTPayload): Promise<SignedToken> {
    const key = await this.keys.active();
    if (!key) throw new Error('no active signing key (security-manager has not finished starting)');
    let privateKey = this.opened.get(key.kid);
    if (!privateKey) {
      privateKey = openPrivateKey(this.box, key.kid, key.alg, key.privateSealed);
      this.opened.clear(); // only the active key signs
      this.opened.set(key.kid, privateKey);
    }
    const ttl = this.settings.ttlSeconds;
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: ACCESS_TOKEN_TYPE })
      .setIssuer(this.settings.issuer)
      .setAudience(this.settings.audience)
      .setSubject(subject)
      .setIssuedAt()
      .setExpirationTime(`${ttl}s`)
      .setJti(randomUUID())
      .sign(await privateKey);
    return { token, expiresIn: ttl };
  }
}
