import {
  CreateOAuthClientCommand,
  OAuthClientIdQuery,
  TokenMessageTypes as Types,
  Topics,
  validateInto,
  type CreatedOAuthClientView,
  type OAuthClientView,
  type Page,
} from '@baton/contracts';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentCaller, type Caller } from '../auth/caller';
import { dtoSchemaRef } from '../openapi/openapi';
import { PlatformClient } from '../platform/platform-client';

@ApiTags('security')
@ApiBearerAuth()
@Controller('v1/oauth-clients')
export class OAuthClientsController {
  constructor(private readonly platform: PlatformClient) {}

  /** A client of the client credentials grant with one role; its secret is in this answer only. */
  @Post()
  @ApiBody({ schema: dtoSchemaRef(CreateOAuthClientCommand) })
  async create(
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CreatedOAuthClientView> {
    const command = validateInto(CreateOAuthClientCommand, body);
    const client = await this.platform.send<CreatedOAuthClientView>(
      Topics.securityCommands,
      Types.oauthClientCreate,
      command,
      caller,
    );
    response.status(201).location(`/v1/oauth-clients/${client.id}`);
    response.setHeader('Cache-Control', 'no-store');
    return client;
  }

  /** The workspace's clients, never their secrets. */
  @Get()
  list(@CurrentCaller() caller: Caller): Promise<Page<OAuthClientView>> {
    return this.platform.send(Topics.securityCommands, Types.oauthClientList, {}, caller);
  }

  /** No new token is issued to it; tokens it holds expire within BATON_TOKEN_TTL_SECONDS. */
  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string, @CurrentCaller() caller: Caller): Promise<void> {
    const query = validateInto(OAuthClientIdQuery, { id }, 'path');
    await this.platform.send(Topics.securityCommands, Types.oauthClientDelete, query, caller, id);
  }
}
