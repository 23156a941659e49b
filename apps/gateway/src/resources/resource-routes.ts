import { validateInto, type Page } from '@baton/contracts';
import {
  Body,
  Delete,
  Get,
  HttpCode,
  Injectable,
  Param,
  Post,
  Query,
  Res,
  type Type,
} from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { ApiBody } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentCaller, type Caller } from '../auth/caller';
import { dtoSchemaRef } from '../openapi/openapi';
import { PlatformClient } from '../platform/platform-client';
import { TopicCommands } from '../platform/topic-commands';

type Constructor<T> = new () => T;

/**
 * A create: the body checked by `body`, answered as TopicCommands.create
 * answers a create-or-replace (with `field`), or as TopicCommands.created
 * answers a create that always creates (without).
 */
export interface CreateRoute<C extends object, V> {
  type: string;
  body: Constructor<C>;
  /** Where the service's answer holds the resource (`{ created, alert }`); none when it is the resource. */
  field?: string;
  location: (view: V, command: C) => string;
  /** Keeps one resource's commands in order (its name); none for ids the service picks. */
  key?: (command: C) => string;
  /** Without `field`: the answer holds a secret shown once (no cache may keep it). */
  secret?: boolean;
}

/**
 * The routes a resource of one command topic has the same way, each one
 * command of the owning service (`path` is below the controller's):
 *
 *     POST   {path}        create  → `create.type` (201 with Location; 200 when a create-or-replace replaced)
 *     GET    {path}        list    → `list` (a page; `?cursor&limit` and filters checked by `listQuery`)
 *     GET    {path}/:key   get     → `get`
 *     DELETE {path}/:key   remove  → `remove` (204, no body)
 *
 * A route the spec does not name is not served. Their permissions are in
 * libs/contracts' table by METHOD /path like every other route's; their
 * OpenAPI operations are `{Controller}_create`, `_list`, `_get`, `_remove`,
 * as if written out.
 */
export interface ResourceSpec<C extends object, V> {
  /** The owning service's command topic (`Topics.eventCommands`...). */
  topic: string;
  /** Below the controller's path, when the controller serves more than this resource. */
  path?: string;
  /** The path parameter naming one resource and the class checking it: `{ name: RouteNameQuery }`. */
  key?: { name: Constructor<object> } | { id: Constructor<object> };
  create?: CreateRoute<C, V>;
  list?: string;
  /** Without it the list reads no query string (short lists, not paged). */
  listQuery?: Constructor<object>;
  get?: string;
  remove?: string;
}

/** What a resource controller inherits: `commands`, for the routes it writes itself. */
export interface ResourceRoutesBase {
  readonly commands: TopicCommands;
}

/**
 * A base class serving the routes `spec` names; the controller extends it,
 * keeps its decorators (tags, path) and writes its other routes with
 * `this.commands`. Each call makes a class of its own, so each controller
 * has its own handlers: the auth guard finds a route's permission by its
 * handler.
 */
export function ResourceRoutes<C extends object, V>(
  spec: ResourceSpec<C, V>,
): Type<ResourceRoutesBase> {
  // Only `get` and `remove` read the key; a controller serving neither names none.
  const [key, keyQuery] = Object.entries(spec.key ?? { id: Object })[0] as [
    string,
    Constructor<object>,
  ];
  const collection = spec.path ?? '/';
  const one = spec.path ? `${spec.path}/:${key}` : `:${key}`;
  const { create, list = '', get = '', remove = '' } = spec;

  // Decorated so that TypeScript records the constructor's parameter types: a
  // controller that adds no constructor of its own is built from them.
  @Injectable()
  class Routes implements ResourceRoutesBase {
    readonly commands: TopicCommands;

    constructor(platform: PlatformClient) {
      this.commands = new TopicCommands(platform, spec.topic);
    }

    @Post(collection)
    @ApiBody({ schema: create ? dtoSchemaRef(create.body) : {} })
    create(
      @Body() body: unknown,
      @CurrentCaller() caller: Caller,
      @Res({ passthrough: true }) response: Response,
    ): Promise<V> {
      const route = create as CreateRoute<C, V>;
      const command = validateInto(route.body, body);
      const answer = {
        location: (view: V) => route.location(view, command),
        key: route.key?.(command),
      };
      return route.field
        ? this.commands.create<V>(route.type, command, caller, response, {
            ...answer,
            field: route.field,
          })
        : this.commands.created<V>(route.type, command, caller, response, {
            ...answer,
            secret: route.secret,
          });
    }

    @Get(collection)
    list(
      @Query() query: Record<string, string>,
      @CurrentCaller() caller: Caller,
    ): Promise<Page<unknown>> {
      return spec.listQuery
        ? this.commands.list(list, caller, query, spec.listQuery)
        : this.commands.list(list, caller);
    }

    @Get(one)
    get(@Param(key) value: string, @CurrentCaller() caller: Caller): Promise<unknown> {
      return this.commands.at(get, keyQuery, { [key]: value }, caller);
    }

    @Delete(one)
    @HttpCode(204)
    async remove(@Param(key) value: string, @CurrentCaller() caller: Caller): Promise<void> {
      await this.commands.at(remove, keyQuery, { [key]: value }, caller);
    }
  }

  // A route the spec does not name is not served: its handler leaves the class,
  // and so do its parameters' decorations, which Nest records on the class and
  // would otherwise merge into those of a controller's own method of that name
  // (a `create` with an Idempotency-Key header would get the caller there).
  const prototype = Routes.prototype as unknown as Record<string, unknown>;
  for (const route of ['create', 'list', 'get', 'remove'] as const) {
    if (spec[route]) continue;
    delete prototype[route];
    Reflect.deleteMetadata(ROUTE_ARGS_METADATA, Routes, route);
  }
  return Routes;
}
