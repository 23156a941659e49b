import {
  ListSecretsQuery,
  MessageTypes,
  PutSecretBody,
  PutSecretCommand,
  SecretNameQuery,
  secretTransportContext,
  Topics,
  validateInto,
  type PutSecretResult,
  type SecretView,
} from '@baton/contracts';
import { SecretBox } from '@baton/service-kit';
import { Body, Controller, Delete, HttpCode, Param, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentCaller, type Caller } from '../auth/caller';
import { dtoSchemaRef } from '../openapi/openapi';
import { PlatformClient } from '../platform/platform-client';
import { ResourceRoutes } from '../resources/resource-routes';

/**
 * The workspace's vault. A value goes in and never comes out over HTTP: the
 * list shows names, dates and the id of the key that seals each one. Agents
 * and connectors of the same workspace name a secret to use it.
 */
@ApiTags('security')
@ApiBearerAuth()
@Controller('v1/secrets')
export class SecretsController extends ResourceRoutes({
  topic: Topics.securityCommands,
  list: MessageTypes.secretList,
  listQuery: ListSecretsQuery,
}) {
  constructor(
    platform: PlatformClient,
    private readonly box: SecretBox,
  ) {
    super(platform);
  }

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
    const result = await this.commands.send<PutSecretResult>(
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

  @Delete(':name')
  @HttpCode(204)
  async delete(@Param('name') name: string, @CurrentCaller() caller: Caller): Promise<void> {
    await this.commands.at(MessageTypes.secretDelete, SecretNameQuery, { name }, caller);
  }
}
