import {
  CreateApiKeyRequest,
  DomainError,
  ListApiKeysQuery,
  MessageTypes,
  RotateApiKeyRequest,
  Topics,
  validateInto,
  type IssuedApiKeyView,
  type RotatedApiKeyView,
} from '@baton/contracts';
import { Body, Controller, Delete, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { actorOf } from '../auth/actor';
import { ApiKeyAuthenticator } from '../auth/api-key.authenticator';
import { CurrentCaller, type Caller } from '../auth/caller';
import { dtoSchemaRef } from '../openapi/openapi';
import { PlatformClient } from '../platform/platform-client';
import { ResourceRoutes } from '../resources/resource-routes';
import { issueApiKey } from './issue-api-key';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * API keys of the caller's workspace. A new key is in the answer once and
 * nowhere else (`Cache-Control: no-store`); lists show its prefix only.
 */
@ApiTags('security')
@ApiBearerAuth()
@Controller('v1/api-keys')
export class ApiKeysController extends ResourceRoutes({
  topic: Topics.securityCommands,
  list: MessageTypes.apiKeyList,
  listQuery: ListApiKeysQuery,
}) {
  constructor(
    platform: PlatformClient,
    private readonly apiKeys: ApiKeyAuthenticator,
  ) {
    super(platform);
  }

  /** Issues a key with one role, no more than the caller holds; `key` is shown this once. */
  @Post()
  @ApiBody({ schema: dtoSchemaRef(CreateApiKeyRequest) })
  async create(
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<IssuedApiKeyView> {
    return issueApiKey(this.commands, body, caller, response);
  }

  /** Revokes the key: 401 on every gateway as soon as they read the revocation. */
  @Delete(':id')
  @HttpCode(204)
  async revoke(@Param('id') id: string, @CurrentCaller() caller: Caller): Promise<void> {
    const keyId = knownIdOr404(id);
    await this.commands.send(
      MessageTypes.apiKeyRevoke,
      { id: keyId, actor: actorOf(caller) },
      caller,
      keyId,
    );
    this.apiKeys.forgetKeys([keyId]);
  }

  /** Issues a successor; the old key keeps working for `grace_seconds`. */
  @Post(':id/rotate')
  @ApiBody({ schema: dtoSchemaRef(RotateApiKeyRequest) })
  async rotate(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RotatedApiKeyView> {
    const request = validateInto(RotateApiKeyRequest, body);
    const keyId = knownIdOr404(id);
    const rotated = await this.commands.created<RotatedApiKeyView>(
      MessageTypes.apiKeyRotate,
      { ...request, id: keyId, actor: actorOf(caller) },
      caller,
      response,
      { key: keyId, secret: true },
    );
    if (request.grace_seconds === 0) this.apiKeys.forgetKeys([keyId]);
    return rotated;
  }
}

/** Key ids are UUIDs: anything else names no key, like an id of another workspace (404). */
function knownIdOr404(id: string): string {
  const lower = id.toLowerCase();
  if (!UUID.test(lower)) throw notFound(id);
  return lower;
}

function notFound(id: string): DomainError {
  return DomainError.notFound('API key', id.slice(0, 100));
}
