import {
  CreateApiKeyRequest,
  DomainError,
  ListApiKeysQuery,
  MessageTypes,
  RotateApiKeyRequest,
  Topics,
  validateInto,
  type ApiKeyView,
  type IssuedApiKeyView,
  type Page,
  type RotatedApiKeyView,
} from '@baton/contracts';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { actorOf } from '../auth/actor';
import { ApiKeyAuthenticator } from '../auth/api-key.authenticator';
import { CurrentCaller, type Caller } from '../auth/caller';
import { dtoSchemaRef } from '../openapi/openapi';
import { PlatformClient } from '../platform/platform-client';
import { TopicCommands } from '../platform/topic-commands';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * API keys of the caller's workspace. A new key is in the answer once and
 * nowhere else (`Cache-Control: no-store`); lists show its prefix only.
 */
@ApiTags('security')
@ApiBearerAuth()
@Controller('v1/api-keys')
export class ApiKeysController {
  private readonly security: TopicCommands;

  constructor(
    platform: PlatformClient,
    private readonly apiKeys: ApiKeyAuthenticator,
  ) {
    this.security = new TopicCommands(platform, Topics.securityCommands);
  }

  /** Issues a key with one role, no more than the caller holds; `key` is shown this once. */
  @Post()
  @ApiBody({ schema: dtoSchemaRef(CreateApiKeyRequest) })
  async create(
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<IssuedApiKeyView> {
    const request = validateInto(CreateApiKeyRequest, body);
    return this.security.issue(
      MessageTypes.apiKeyCreate,
      { ...request, actor: actorOf(caller) },
      caller,
      response,
    );
  }

  @Get()
  list(
    @Query() query: Record<string, string>,
    @CurrentCaller() caller: Caller,
  ): Promise<Page<ApiKeyView>> {
    return this.security.list(MessageTypes.apiKeyList, caller, query, ListApiKeysQuery);
  }

  /** Revokes the key: 401 on every gateway as soon as they read the revocation. */
  @Delete(':id')
  @HttpCode(204)
  async revoke(@Param('id') id: string, @CurrentCaller() caller: Caller): Promise<void> {
    const keyId = knownIdOr404(id);
    await this.security.send(
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
    const rotated = await this.security.issue<RotatedApiKeyView>(
      MessageTypes.apiKeyRotate,
      { ...request, id: keyId, actor: actorOf(caller) },
      caller,
      response,
      keyId,
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
