import {
  CreateApiKeyRequest,
  CreateWorkspaceRequest,
  ListWorkspacesQuery,
  MessageTypes,
  Topics,
  UpdateWorkspaceRequest,
  validateInto,
  type IssuedApiKeyView,
  type WorkspaceView,
} from '@baton/contracts';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { actorOf } from '../auth/actor';
import { CurrentCaller, type Caller } from '../auth/caller';
import { dtoSchemaRef } from '../openapi/openapi';
import { issueApiKey } from '../api-keys/issue-api-key';
import { ResourceRoutes } from '../resources/resource-routes';

/** Workspaces, for platform admins: create, rename, delete (keys stop at once), purge. */
@ApiTags('security')
@ApiBearerAuth()
@Controller('v1/workspaces')
export class WorkspacesController extends ResourceRoutes({
  topic: Topics.securityCommands,
  list: MessageTypes.workspaceList,
  listQuery: ListWorkspacesQuery,
}) {
  /** Creates a workspace (an id of a-z, 0-9 and -; never reused, even after a purge). */
  @Post()
  @ApiBody({ schema: dtoSchemaRef(CreateWorkspaceRequest) })
  create(
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<WorkspaceView> {
    const request = validateInto(CreateWorkspaceRequest, body);
    return this.commands.created<WorkspaceView>(
      MessageTypes.workspaceCreate,
      { ...request, actor: actorOf(caller) },
      caller,
      response,
      { key: request.id, location: (workspace) => `/v1/workspaces/${workspace.id}` },
    );
  }

  @Get(':id')
  get(@Param('id') id: string, @CurrentCaller() caller: Caller): Promise<WorkspaceView> {
    return this.commands.send(
      MessageTypes.workspaceGet,
      { id: id.slice(0, 63) },
      caller,
      id.slice(0, 63),
    );
  }

  @Patch(':id')
  @ApiBody({ schema: dtoSchemaRef(UpdateWorkspaceRequest) })
  update(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
  ): Promise<WorkspaceView> {
    const request = validateInto(UpdateWorkspaceRequest, body);
    return this.commands.send(
      MessageTypes.workspaceUpdate,
      { ...request, id: id.slice(0, 63), actor: actorOf(caller) },
      caller,
      id.slice(0, 63),
    );
  }

  /** Its keys stop working at once, on every gateway; its data stays until purged. */
  @Delete(':id')
  delete(@Param('id') id: string, @CurrentCaller() caller: Caller): Promise<WorkspaceView> {
    return this.byAdmin(MessageTypes.workspaceDelete, id, caller);
  }

  /**
   * Issues a key in this workspace: how a platform admin gives a new
   * workspace its first admin, who then issues the rest with POST /v1/api-keys.
   */
  @Post(':id/api-keys')
  @ApiBody({ schema: dtoSchemaRef(CreateApiKeyRequest) })
  async createKey(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<IssuedApiKeyView> {
    return issueApiKey(this.commands, body, caller, response, id.slice(0, 63));
  }

  /** Removes what Baton holds of a deleted workspace; audited, and never undone. */
  @Post(':id/purge')
  @HttpCode(200)
  purge(@Param('id') id: string, @CurrentCaller() caller: Caller): Promise<WorkspaceView> {
    return this.byAdmin(MessageTypes.workspacePurge, id, caller);
  }

  /** A command on one workspace, naming the admin who sent it (audited). */
  private byAdmin(type: string, id: string, caller: Caller): Promise<WorkspaceView> {
    const workspaceId = id.slice(0, 63);
    return this.commands.send(
      type,
      { id: workspaceId, actor: actorOf(caller) },
      caller,
      workspaceId,
    );
  }
}
