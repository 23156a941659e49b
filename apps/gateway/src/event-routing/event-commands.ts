import { PageQuery, Topics, validateInto, isObject, type Page } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import type { Caller } from '../auth/caller';
import { PlatformClient } from '../platform/platform-client';

type Constructor<T> = new () => T;

/** What a create-or-replace answers: whether it created, and the resource under `field`. */
type Upserted<V> = { created: boolean } & Record<string, V | boolean>;

/**
 * The one shape of the event-routing resources (subscriptions, transforms,
 * routes, replays, retention policies): each route checks its input with a
 * contracts class and sends it to event-manager on `event-commands`. The
 * controllers keep their routes, decorators and docs; the steps are here.
 */
@Injectable()
export class EventCommands {
  constructor(private readonly platform: PlatformClient) {}

  /** A checked command to event-manager; `key` keeps one resource's commands in order. */
  send<T>(type: string, data: unknown, caller: Caller, key?: string): Promise<T> {
    return this.platform.send<T>(Topics.eventCommands, type, data, caller, key);
  }

  /** The body as `cls`, with fields from the path or headers laid over it (they win). */
  body<T extends object>(
    cls: Constructor<T>,
    body: unknown,
    over: Record<string, unknown> = {},
  ): T {
    return validateInto(cls, { ...(isObject(body) ? body : {}), ...over });
  }

  /** A path parameter checked by `cls` (`{ id }`, `{ name }`), then sent. */
  at<T>(type: string, cls: Constructor<object>, params: Record<string, string>, caller: Caller) {
    const query = validateInto(cls, params, 'path');
    return this.send<T>(type, query, caller, Object.values(params)[0]);
  }

  /** A page of a list: `?cursor=&limit=` checked, or no paging at all (lists that are short). */
  list<V>(type: string, caller: Caller, query?: Record<string, string>): Promise<Page<V>> {
    const page = query ? validateInto(PageQuery, query, 'query', { convertTypes: true }) : {};
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
    caller: Caller,
    response: Response,
    answer: { field: string; location: (view: V) => string; key?: string; createdStatus?: number },
  ): Promise<V> {
    const result = await this.send<Upserted<V>>(type, command, caller, answer.key);
    const view = result[answer.field] as V;
    response.status(result.created ? (answer.createdStatus ?? 201) : 200);
    response.location(answer.location(view));
    return view;
  }
}
