import {
  MessageTypes,
  PutSamlConfigCommand,
  sessionSources,
  Topics,
  validateInto,
  type SamlConfigView,
} from '@baton/contracts';
import { Body, Controller, Delete, Get, HttpCode, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, type Caller } from '../auth/caller';
import { SessionSettings } from '../auth/session-cookie';
import { SessionAuthenticator } from '../auth/session.authenticator';
import { dtoSchemaRef } from '../openapi/openapi';
import { PlatformClient } from '../platform/platform-client';

/** The workspace's SAML identity provider and how its attribute maps to roles. */
@ApiTags('security')
@ApiBearerAuth()
@Controller('v1/saml-config')
export class SamlConfigController {
  constructor(
    private readonly platform: PlatformClient,
    private readonly settings: SessionSettings,
    private readonly sessions: SessionAuthenticator,
  ) {}

  /** Sets the IdP (metadata XML, or entity id + SSO URL + certificate) and the role mapping. */
  @Put()
  @ApiBody({ schema: dtoSchemaRef(PutSamlConfigCommand) })
  put(@Body() body: unknown, @CurrentCaller() caller: Caller): Promise<SamlConfigView> {
    const command = validateInto(PutSamlConfigCommand, body);
    return this.platform.send(
      Topics.securityCommands,
      MessageTypes.samlConfigPut,
      { ...command, public_url: this.settings.publicUrl },
      caller,
      caller.workspaceId,
    );
  }

  /** The config, with the SP metadata and ACS URLs to give the IdP. */
  @Get()
  get(@CurrentCaller() caller: Caller): Promise<SamlConfigView> {
    return this.platform.send(
      Topics.securityCommands,
      MessageTypes.samlConfigGet,
      { public_url: this.settings.publicUrl },
      caller,
      caller.workspaceId,
    );
  }

  /**
   * Removes SAML sign-in from the workspace and signs out everyone who used
   * it: on this gateway before the answer, on the others when they read the
   * revocation.
   */
  @Delete()
  @HttpCode(204)
  async remove(@CurrentCaller() caller: Caller): Promise<void> {
    await this.platform.send(
      Topics.securityCommands,
      MessageTypes.samlConfigDelete,
      { public_url: this.settings.publicUrl },
      caller,
      caller.workspaceId,
    );
    this.sessions.forgetSource(caller.workspaceId, sessionSources.saml);
  }
}
