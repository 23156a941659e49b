import {
  CreateOAuthClientCommand,
  OAuthClientIdQuery,
  TokenMessageTypes as Types,
  Topics,
  type CreatedOAuthClientView,
} from '@baton/contracts';
import { Controller } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ResourceRoutes } from '../resources/resource-routes';

@ApiTags('security')
@ApiBearerAuth()
@Controller('v1/oauth-clients')
export class OAuthClientsController extends ResourceRoutes({
  topic: Topics.securityCommands,
  key: { id: OAuthClientIdQuery },
  // A client of the client credentials grant with one role; its secret is in this answer only.
  create: {
    type: Types.oauthClientCreate,
    body: CreateOAuthClientCommand,
    location: (client: CreatedOAuthClientView) => `/v1/oauth-clients/${client.id}`,
    secret: true,
  },
  // The workspace's clients, never their secrets.
  list: Types.oauthClientList,
  // No new token is issued to it; tokens it holds expire within BATON_TOKEN_TTL_SECONDS.
  remove: Types.oauthClientDelete,
}) {}
