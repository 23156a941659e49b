import {
  DomainError,
  ErrorCodes,
  Topics,
  WorkflowDiffQuery,
  WorkflowOpsMessageTypes,
  WorkflowVersionQuery,
  WorkflowVersionsQuery,
  validateInto,
  type ValidateWorkflowCommand,
  type ValidationReportView,
  type WorkflowDiffView,
  type WorkflowVersionPage,
  type WorkflowVersionView,
} from '@baton/contracts';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, type Caller } from '../auth/caller';
import { PlatformClient } from '../platform/platform-client';

/** Versions of a workflow, their diff, rollback, and validation without storing. */
@ApiTags('workflows')
@ApiBearerAuth()
@Controller('v1/workflows')
export class WorkflowVersionsController {
  constructor(private readonly platform: PlatformClient) {}

  /**
   * Every problem of a workflow document (YAML or JSON), each with its path and,
   * for YAML, line and column; agents not registered yet are warnings. Stores nothing.
   */
  @Post('validate')
  @HttpCode(200)
  @ApiConsumes('application/yaml', 'application/json')
  @ApiBody({ schema: { type: 'object', description: 'The workflow document to check' } })
  validate(@Body() body: unknown, @CurrentCaller() caller: Caller): Promise<ValidationReportView> {
    const command: ValidateWorkflowCommand =
      typeof body === 'string' ? { yaml: body } : { document: requireObject(body) };
    return this.send(WorkflowOpsMessageTypes.validate, command, caller);
  }

  /** Every version, newest first, and which one new runs start with. */
  @Get(':name/versions')
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false })
  versions(
    @Param('name') name: string,
    @Query() query: Record<string, string>,
    @CurrentCaller() caller: Caller,
  ): Promise<WorkflowVersionPage> {
    const request = validateInto(
      WorkflowVersionsQuery,
      { name, ...pick(query, ['cursor', 'limit']) },
      'query',
      { convertTypes: true },
    );
    return this.send(WorkflowOpsMessageTypes.versionList, request, caller);
  }

  /** One version, with the document exactly as it was sent (`source`). */
  @Get(':name/versions/:version')
  version(
    @Param('name') name: string,
    @Param('version') version: string,
    @CurrentCaller() caller: Caller,
  ): Promise<WorkflowVersionView> {
    return this.send(WorkflowOpsMessageTypes.versionGet, versionQuery(name, version), caller);
  }

  /** A unified diff (`diff -u`) of two versions' documents. */
  @Get(':name/diff')
  @ApiQuery({ name: 'from', type: Number })
  @ApiQuery({ name: 'to', type: Number })
  diff(
    @Param('name') name: string,
    @Query() query: Record<string, string>,
    @CurrentCaller() caller: Caller,
  ): Promise<WorkflowDiffView> {
    const request = validateInto(
      WorkflowDiffQuery,
      { name, ...pick(query, ['from', 'to']) },
      'query',
      { convertTypes: true },
    );
    return this.send(WorkflowOpsMessageTypes.versionDiff, request, caller);
  }

  /** Rollback (or forward): new runs use this version; started runs keep theirs. */
  @Post(':name/versions/:version/activate')
  @HttpCode(200)
  activate(
    @Param('name') name: string,
    @Param('version') version: string,
    @CurrentCaller() caller: Caller,
  ): Promise<WorkflowVersionView> {
    return this.send(WorkflowOpsMessageTypes.versionActivate, versionQuery(name, version), caller);
  }

  private send<T>(type: string, data: unknown, caller: Caller): Promise<T> {
    return this.platform.send<T>(Topics.workflowCommands, type, data, caller);
  }
}

function versionQuery(name: string, version: string): WorkflowVersionQuery {
  if (!/^\d{1,9}$/.test(version)) {
    throw DomainError.invalid('version', 'must be a version number');
  }
  return validateInto(WorkflowVersionQuery, { name, version: Number(version) }, 'path');
}

function pick(query: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(names.filter((n) => query[n] !== undefined).map((n) => [n, query[n]]));
}

function requireObject(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new DomainError(
      ErrorCodes.badRequest,
      'the body must be a YAML or JSON workflow document',
      [{ field: 'body', message: 'must be a workflow document' }],
    );
  }
  return body as Record<string, unknown>;
}
