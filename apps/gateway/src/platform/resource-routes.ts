import type { Page } from '@baton/contracts';
import { Delete, Get, HttpCode, Param, Query, type Type } from '@nestjs/common';
import { CurrentCaller, type Caller } from '../auth/caller';
import { PlatformClient } from './platform-client';
import { TopicCommands } from './topic-commands';

type Constructor<T> = new () => T;

/**
 * The read and delete routes a resource of one command topic has the same
 * way, each one command of the owning service:
 *
 *     GET    {controller path}[/path]        list    → `list` (a page)
 *     GET    {controller path}[/path]/:key   get     → `get`
 *     DELETE {controller path}[/path]/:key   remove  → `remove` (204, no body)
 *
 * Their permissions are in libs/contracts' table by METHOD /path like every
 * other route's; their OpenAPI operations are `{Controller}_list`, `_get`,
 * `_remove` as if written out.
 */
export interface ResourceSpec {
  /** The owning service's command topic (`Topics.eventCommands`...). */
  topic: string;
  /** The resources' path below the controller's, when it serves more than them (`connections`). */
  path?: string;
  /** The path parameter naming one resource, checked by `keyQuery` (a 400 naming it). */
  key: 'name' | 'id';
  keyQuery: Constructor<object>;
  /** The list command; with `query`, `?cursor&limit` and filters are checked by it (else none are read). */
  list?: { type: string; query?: Constructor<object> };
  get?: string;
  remove?: string;
}

/** The steps a resource controller inherits: `commands` for its own routes too. */
export interface ResourceRoutesBase {
  readonly commands: TopicCommands;
}

/**
 * A base class serving the routes `spec` names; a controller extends it and
 * writes its create, patch and actions itself with `this.commands`:
 *
 *     @Controller('v1/routes')
 *     export class RoutesController extends ResourceRoutes({ topic, key: 'name', ... }) {}
 *
 * Each call makes a class of its own, so each controller has its own
 * handlers (the auth guard finds a route's permission by its handler).
 */
export function ResourceRoutes(spec: ResourceSpec): Type<ResourceRoutesBase> {
  const { key, keyQuery } = spec;
  const collection = spec.path ?? '/';
  const one = spec.path ? `${spec.path}/:${key}` : `:${key}`;

  class Routes implements ResourceRoutesBase {
    readonly commands: TopicCommands;

    constructor(platform: PlatformClient) {
      this.commands = new TopicCommands(platform, spec.topic);
    }

    @Get(collection)
    list(
      @Query() query: Record<string, string>,
      @CurrentCaller() caller: Caller,
    ): Promise<Page<unknown>> {
      const list = spec.list!;
      return list.query
        ? this.commands.list(list.type, caller, query, list.query)
        : this.commands.list(list.type, caller);
    }

    @Get(one)
    get(@Param(key) value: string, @CurrentCaller() caller: Caller): Promise<unknown> {
      return this.commands.at(spec.get!, keyQuery, { [key]: value }, caller);
    }

    @Delete(one)
    @HttpCode(204)
    async remove(@Param(key) value: string, @CurrentCaller() caller: Caller): Promise<void> {
      await this.commands.at(spec.remove!, keyQuery, { [key]: value }, caller);
    }
  }

  // A route the spec does not name is not served: its handler leaves the class.
  const prototype = Routes.prototype as unknown as Record<string, unknown>;
  if (!spec.list) delete prototype.list;
  if (!spec.get) delete prototype.get;
  if (!spec.remove) delete prototype.remove;
  return Routes;
}
