import {
  CreateIdentityProviderCommand,
  identityProviderSecretContext,
  IdentityProviderIdQuery,
  sessionSources,
  TokenMessageTypes as Types,
  Topics,
  validateInto,
  type CreateIdentityProviderMessage,
  type IdentityProviderView,
} from '@baton/contracts';
import { SecretBox } from '@baton/service-kit';
import { Body, Controller, Delete, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentCaller, type Caller } from '../auth/caller';
import { RevokedCredentials } from '../auth/revoked-credentials';
import { SessionAuthenticator } from '../auth/session.authenticator';
import { dtoSchemaRef } from '../openapi/openapi';
import { PlatformClient } from '../platform/platform-client';
import { ResourceRoutes } from '../resources/resource-routes';

@ApiTags('security')
@ApiBearerAuth()
@Controller('v1/identity-providers')
export class IdentityProvidersController extends ResourceRoutes({
  topic: Topics.securityCommands,
  key: { id: IdentityProviderIdQuery },
  list: Types.identityProviderList,
}) {
  constructor(
    platform: PlatformClient,
    private readonly box: SecretBox,
    private readonly revoked: RevokedCredentials,
    private readonly sessions: SessionAuthenticator,
  ) {
    super(platform);
  }

  /**
   * Its tokens and the console sessions opened through it stop working: on
   * this gateway before the answer, on the others when they read the
   * revocation security-manager publishes with the deletion.
   */
  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string, @CurrentCaller() caller: Caller): Promise<void> {
    await this.commands.at(Types.identityProviderDelete, IdentityProviderIdQuery, { id }, caller);
    this.revoked.revokeProviders([id]);
    this.sessions.forgetSource(caller.workspaceId, sessionSources.oidc(id));
  }

  /**
   * Accept an OpenID provider's access tokens (JWT) in this workspace: the
   * token's `iss` and `aud` find the provider, `claim` (e.g. groups) maps to
   * roles through `role_mapping`. The jwks_uri is discovered from the issuer now.
   * With `client_id` and `client_secret`, people also sign in to the console
   * through it (`/oidc/{workspace}/login`); the secret is write-only.
   */
  @Post()
  @ApiBody({ schema: dtoSchemaRef(CreateIdentityProviderCommand) })
  create(
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<IdentityProviderView> {
    const { client_secret: clientSecret, ...fields } = validateInto(
      CreateIdentityProviderCommand,
      body,
    );
    // Sealed here: the client secret never crosses Kafka in clear.
    const command: CreateIdentityProviderMessage = {
      ...fields,
      ...(clientSecret === undefined
        ? {}
        : {
            sealed_client_secret: this.box.seal(
              clientSecret,
              identityProviderSecretContext(caller.workspaceId, fields.issuer),
            ),
          }),
    };
    return this.commands.created<IdentityProviderView>(
      Types.identityProviderCreate,
      command,
      caller,
      response,
      { location: (provider) => `/v1/identity-providers/${provider.id}` },
    );
  }
}
