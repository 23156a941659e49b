import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

/** Issuer, audience and lifetime of Baton's access tokens (BATON_TOKEN_*). */
@Injectable()
export class TokenSettings {
  readonly issuer: string;
  readonly audience: string;
  readonly ttlSeconds: number;

  constructor(config: ConfigService) {
    this.issuer = config.getOrThrow<string>('BATON_TOKEN_ISSUER');
    this.audience = config.getOrThrow<string>('BATON_TOKEN_AUDIENCE');
    this.ttlSeconds = config.getOrThrow<number>('BATON_TOKEN_TTL_SECONDS');
  }
}
