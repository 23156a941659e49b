import { SIGNING_ALGORITHM, type PublicJwk } from '@baton/contracts';
import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { BatonKeys } from '../auth/jwt-keys';

/** How long a client may keep these documents; a new kid makes it fetch them again anyway. */
const CACHE = 'public, max-age=60';

/**
 * OpenID Connect Discovery and the JWKS of Baton's token issuer, answered
 * from the keys the gateway keeps: no request here reaches security-manager
 * more than once a second, however many arrive.
 */
@ApiTags('security')
@Controller('.well-known')
export class WellKnownController {
  constructor(private readonly keys: BatonKeys) {}

  @Get('openid-configuration')
  @ApiOkResponse({
    description: "OpenID Connect Discovery 1.0 / RFC 8414 metadata of Baton's token issuer",
  })
  async configuration(
    @Res({ passthrough: true }) response: Response,
  ): Promise<Record<string, unknown>> {
    const { issuer } = await this.keys.current();
    response.setHeader('Cache-Control', CACHE);
    return {
      issuer,
      token_endpoint: `${issuer}/oauth/token`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      response_types_supported: ['token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: [SIGNING_ALGORITHM],
      token_endpoint_auth_signing_alg_values_supported: [SIGNING_ALGORITHM],
    };
  }

  @Get('jwks.json')
  @ApiOkResponse({ description: 'the public keys that verify Baton access tokens (RFC 7517)' })
  async jwks(@Res({ passthrough: true }) response: Response): Promise<{ keys: PublicJwk[] }> {
    const { keys } = await this.keys.current();
    response.setHeader('Cache-Control', CACHE);
    return { keys };
  }
}
