import {
  ListSecretsQuery,
  MessageTypes,
  PutSecretBody,
  PutSecretCommand,
  SecretNameQuery,
  secretTransportContext,
  Topics,
  validateInto,
  type Page,
  type PutSecretResult,
  type SecretView,
} from '@baton/contracts';
import { SecretBox } from '@baton/service-kit';
import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentCaller, type Caller } from '../auth/caller';
import { dtoSchemaRef } from '../openapi/openapi';
import { PlatformClient } from '../platform/platform-client';

/**
 * The workspace's vault. A value goes in and never comes out over HTTP: the
 * list shows names, dates and the id of the key that seals each one. Agents
 * and connectors of the same workspace name a secret to use it.
 */
@ApiTags('security')
@ApiBearerAuth()
@Controller('v1/secrets')
export class SecretsController {
  constructor(
    private readonly platform: PlatformClient,
    private readonly box: SecretBox,
  ) {}

  /** Creates (201) or replaces (200) a secret; the answer never carries the value. */
  @Put(':name')
  @ApiBody({ schema: dtoSchemaRef(PutSecretBody) })
  async put(
    @Param('name') name: string,
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SecretView> {
    const { value } = validateInto(PutSecretBody, body);
    const { name: valid } = validateInto(SecretNameQuery, { name }, 'path');
    // Sealed here: the value never crosses Kafka in clear.
    const command: PutSecretCommand = {
      name: valid,
      sealed_value: this.box.seal(value, secretTransportContext(caller.workspaceId, valid, 'in')),
    };
    const result = await this.platform.send<PutSecretResult>(
      Topics.securityCommands,
      MessageTypes.secretPut,
      command,
      caller,
      command.name,
    );
    response
      .status(result.created ? 201 : 200)
      .location(`/v1/secrets/${encodeURIComponent(command.name)}`);
    return result.secret;
  }

  @Get()
  list(
    @Query() query: Record<string, string>,
    @CurrentCaller() caller: Caller,
  ): Promise<Page<SecretView>> {
    const filter = validateInto(ListSecretsQuery, query, 'query', { convertTypes: true });
    return this.platform.send(Topics.securityCommands, MessageTypes.secretList, filter, caller);
  }

  @Delete(':name')
  @HttpCode(204)
  async delete(@Param('name') name: string, @CurrentCaller() caller: Caller): Promise<void> {
    const query = validateInto(SecretNameQuery, { name }, 'path');
    await this.platform.send(
      Topics.securityCommands,
      MessageTypes.secretDelete,
      query,
      caller,
      name,
    );
  }
}
