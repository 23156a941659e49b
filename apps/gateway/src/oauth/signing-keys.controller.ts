import { TokenMessageTypes, Topics, type RotatedSigningKeyView } from '@baton/contracts';
import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, type Caller } from '../auth/caller';
import { BatonKeys } from '../auth/jwt-keys';
import { PlatformClient } from '../platform/platform-client';

@ApiTags('platform')
@ApiBearerAuth()
@Controller('v1/platform/signing-keys')
export class SigningKeysController {
  constructor(
    private readonly platform: PlatformClient,
    private readonly keys: BatonKeys,
  ) {}

  /**
   * A new key signs Baton's tokens from now on; the old one stays in the
   * JWKS until every token it signed has expired, so none stops working.
   */
  @Post('rotate')
  @HttpCode(200)
  async rotate(@CurrentCaller() caller: Caller): Promise<RotatedSigningKeyView> {
    const rotated = await this.platform.send<RotatedSigningKeyView>(
      Topics.securityCommands,
      TokenMessageTypes.signingKeyRotate,
      {},
      caller,
    );
    await this.keys.refresh().catch(() => undefined); // other gateways pick it up at its first token
    return rotated;
  }
}
