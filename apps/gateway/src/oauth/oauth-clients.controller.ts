import {
  CreateOAuthClientCommand,
  OAuthClientIdQuery,
  TokenMessageTypes as Types,
  Topics,
  validateInto,
  type CreatedOAuthClientView,
} from '@baton/contracts';
import { Body, Controller, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentCaller, type Caller } from '../auth/caller';
import { dtoSchemaRef } from '../openapi/openapi';
import { ResourceRoutes } from '../resources/resource-routes';

@ApiTags('security')
@ApiBearerAuth()
@Controller('v1/oauth-clients')
export class OAuthClientsController extends ResourceRoutes({
  topic: Topics.securityCommands,
  key: { id: OAuthClientIdQuery },
  // The workspace's clients, never their secrets.
  list: Types.oauthClientList,
  // No new token is issued to it; tokens it holds expire within BATON_TOKEN_TTL_SECONDS.
  remove: Types.oauthClientDelete,
}) {
  /** A client of the client credentials grant with one role; its secret is in this answer only. */
  @Post()
  @ApiBody({ schema: dtoSchemaRef(CreateOAuthClientCommand) })
  async create(
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CreatedOAuthClientView> {
    const command = validateInto(CreateOAuthClientCommand, body);
    const client = await this.commands.send<CreatedOAuthClientView>(
      Types.oauthClientCreate,
      command,
      caller,
    );
    response.status(201).location(`/v1/oauth-clients/${client.id}`);
    response.setHeader('Cache-Control', 'no-store');
    return client;
  }
}
