import {
  CreateWorkflowCommand,
  DomainError,
  ErrorCodes,
  MessageTypes,
  StartRunCommand,
  Topics,
  WorkflowNameQuery,
  validateInto,
  type Page,
  type RunView,
  type WorkflowView,
} from '@baton/contracts';
import { Body, Controller, Get, Headers, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentCaller, type Caller } from '../auth/caller';
import { PlatformClient } from '../platform/platform-client';
import { TopicCommands } from '../platform/topic-commands';

@ApiTags('workflows')
@ApiBearerAuth()
@Controller('v1/workflows')
export class WorkflowsController {
  private readonly workflows: TopicCommands;

  constructor(platform: PlatformClient) {
    this.workflows = new TopicCommands(platform, Topics.workflowCommands);
  }

  /** The workflow as YAML text (application/yaml) or as the same document in JSON. */
  @Post()
  @ApiConsumes('application/yaml', 'application/json')
  @ApiBody({
    schema: {
      type: 'object',
      description: 'The workflow document: { workflow: { name, steps, ... } }',
    },
  })
  create(
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<WorkflowView> {
    const command: CreateWorkflowCommand =
      typeof body === 'string' ? { yaml: body } : { document: requireObject(body) };
    return this.workflows.create<WorkflowView>(
      MessageTypes.workflowCreate,
      command,
      caller,
      response,
      {
        field: 'workflow',
        location: (workflow) => `/v1/workflows/${workflow.name}`,
      },
    );
  }

  @Get()
  list(
    @Query() query: Record<string, string>,
    @CurrentCaller() caller: Caller,
  ): Promise<Page<unknown>> {
    return this.workflows.send(MessageTypes.workflowList, coercePaging(query), caller);
  }

  @Get(':name')
  get(@Param('name') name: string, @CurrentCaller() caller: Caller): Promise<WorkflowView> {
    const query = validateInto(WorkflowNameQuery, { name }, 'path');
    return this.workflows.send(MessageTypes.workflowGet, query, caller);
  }

  /** Starts a run; the same Idempotency-Key answers the same run instead of starting another. */
  @Post(':name/runs')
  @ApiBody({ schema: { type: 'object', properties: { input: { type: 'object' } } } })
  startRun(
    @Param('name') name: string,
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RunView> {
    const payload = body === undefined || body === '' ? {} : requireObject(body);
    const command = validateInto(StartRunCommand, {
      ...payload,
      workflow: name,
      ...(idempotencyKey ? { idempotency_key: idempotencyKey } : {}),
    });
    return this.workflows.create<RunView>(MessageTypes.runStart, command, caller, response, {
      field: 'run',
      location: (run) => `/v1/runs/${run.id}`,
    });
  }
}

function requireObject(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new DomainError(ErrorCodes.badRequest, 'the body must be a JSON object', [
      { field: 'body', message: 'must be a JSON object' },
    ]);
  }
  return body as Record<string, unknown>;
}

function coercePaging(query: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (query.cursor) out.cursor = query.cursor;
  if (query.limit !== undefined) out.limit = Number(query.limit);
  return out;
}
