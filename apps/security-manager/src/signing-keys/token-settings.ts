import { Injectable } from '@nestjs/common';
import { SecurityEnv } from '../security-manager.env';

/** Issuer, audience and lifetime of Baton's access tokens (BATON_TOKEN_*). */
@Injectable()
export class TokenSettings {
  readonly issuer: string;
  readonly audience: string;
  readonly ttlSeconds: number;

  constructor(env: SecurityEnv) {
    this.issuer = env.BATON_TOKEN_ISSUER;
    this.audience = env.BATON_TOKEN_AUDIENCE;
    this.ttlSeconds = env.BATON_TOKEN_TTL_SECONDS;
  }
}
