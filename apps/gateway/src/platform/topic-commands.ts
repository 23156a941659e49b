import { PageQuery, validateInto, isObject, type Page } from '@baton/contracts';
import type { Response } from 'express';
import type { PlatformClient, RequestingCaller } from './platform-client';

type Constructor<T> = new () => T;

/** What a create-or-replace answers: whether it created, and the resource under `field`. */
type Upserted<V> = { created: boolean } & Record<string, V | boolean>;

/**
 * The one shape of a resource controller's steps: check the input with a
 * contracts class, send it to the owning service's command topic, answer
 * (201 with Location on create, a page for lists). Controllers keep their
 * routes, decorators and docs and hold one of these per topic they use
 * (`new TopicCommands(platform, Topics.securityCommands)`).
 */
export class TopicCommands {
  constructor(
    private readonly platform: PlatformClient,
    readonly topic: string,
  ) {}

  /** A checked command; `key` keeps one resource's commands in order. */
  send<T>(type: string, data: unknown, caller: RequestingCaller, key?: string): Promise<T> {
    return this.platform.send<T>(this.topic, type, data, caller, key);
  }

  /** The body as `cls`, with fields from the path or headers laid over it (they win). */
  body<T extends object>(
    cls: Constructor<T>,
    body: unknown,
    over: Record<string, unknown> = {},
  ): T {
    return validateInto(cls, { ...(isObject(body) ? body : {}), ...over });
  }

  /**
   * The body as `cls` with the path's fields laid over it, where a body must
   * be an object: one that is not is checked as a field `body`, so the 422
   * names it (`body()` reads it as empty instead).
   */
  fields<T extends object>(cls: Constructor<T>, body: unknown, over: Record<string, string>): T {
    return validateInto(cls, { ...(isObject(body) ? body : { body }), ...over });
  }

  /**
   * A read about one resource (its history, versions, stats): the query
   * string checked by `cls` with the path parameter laid over it, keyed by it.
   */
  about<T>(
    type: string,
    cls: Constructor<object>,
    query: Record<string, string>,
    param: Record<string, string>,
    caller: RequestingCaller,
  ): Promise<T> {
    const filter = validateInto(cls, { ...query, ...param }, 'query', { convertTypes: true });
    return this.send<T>(type, filter, caller, Object.values(param)[0]);
  }

  /** A path parameter checked by `cls` (`{ id }`, `{ name }`), then sent. */
  at<T>(
    type: string,
    cls: Constructor<object>,
    params: Record<string, string>,
    caller: RequestingCaller,
  ): Promise<T> {
    const query = validateInto(cls, params, 'path');
    return this.send<T>(type, query, caller, Object.values(params)[0]);
  }

  /**
   * A page of a list: the query string checked by `cls` (`?cursor=&limit=`
   * and the list's filters), or no paging at all (lists that are short).
   */
  list<V>(
    type: string,
    caller: RequestingCaller,
    query?: Record<string, string>,
    cls: Constructor<object> = PageQuery,
  ): Promise<Page<V>> {
    const page = query ? validateInto(cls, query, 'query', { convertTypes: true }) : {};
    return this.send<Page<V>>(type, page, caller);
  }

  /**
   * A create (or a replace of the same name): `createdStatus` (201, or 202
   * for work that goes on) with its Location when it created, 200 when it
   * replaced or was a repeat; answers the resource.
   */
  async create<V>(
    type: string,
    command: object,
    caller: RequestingCaller,
    response: Response,
    answer: { field: string; location: (view: V) => string; key?: string; createdStatus?: number },
  ): Promise<V> {
    const result = await this.send<Upserted<V>>(type, command, caller, answer.key);
    const view = result[answer.field] as V;
    response.status(result.created ? (answer.createdStatus ?? 201) : 200);
    response.location(answer.location(view));
    return view;
  }

  /**
   * A create the service always carries out (it picks the id, or refuses a
   * name that is taken): 201, with the resource's Location when it has one.
   * `secret`: the answer holds a secret shown this once (an API key, a
   * client secret), so no cache may keep it.
   */
  async created<V>(
    type: string,
    data: unknown,
    caller: RequestingCaller,
    response: Response,
    answer: { location?: (view: V) => string; key?: string; secret?: boolean },
  ): Promise<V> {
    const view = await this.send<V>(type, data, caller, answer.key);
    response.status(201);
    if (answer.location) response.location(answer.location(view));
    if (answer.secret) response.setHeader('cache-control', 'no-store');
    return view;
  }
}
