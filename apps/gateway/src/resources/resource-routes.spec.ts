import {
  CreateTransformCommand,
  PageQuery,
  RouteNameQuery,
  TransformNameQuery,
  type RouteView,
} from '@baton/contracts';
import { ProblemFilter } from '@baton/service-kit';
import { Controller, Headers, Post, type INestApplication } from '@nestjs/common';
import { CurrentCaller, type Caller } from '../auth/caller';
import { Test } from '@nestjs/testing';
import type { NextFunction, Request, Response } from 'express';
import { routesOf } from '../auth/route-access';
import { PlatformClient } from '../platform/platform-client';
import { ResourceRoutes } from './resource-routes';

@Controller('v1/things')
class ThingsController extends ResourceRoutes({
  topic: 'thing-commands',
  key: { name: TransformNameQuery },
  create: {
    type: 'thing.create',
    body: CreateTransformCommand,
    field: 'thing',
    location: (thing: { name: string }) => `/v1/things/${thing.name}`,
    key: (command) => command.name,
  },
  list: 'thing.list',
  listQuery: PageQuery,
  get: 'thing.get',
  remove: 'thing.delete',
}) {}

@Controller('v1/others')
class OthersController extends ResourceRoutes({
  topic: 'other-commands',
  key: { name: RouteNameQuery },
  list: 'other.list',
}) {
  /** Its own create, with parameters in other places than the inherited one's. */
  @Post()
  create(
    @Headers('idempotency-key') key: string | undefined,
    @CurrentCaller() caller: Caller,
  ): Promise<unknown> {
    return this.commands.send('other.create', { key }, caller);
  }
}

/** What the controllers sent, and answers as a service would: created once, then replaced. */
class RecordingPlatform {
  readonly sent: unknown[][] = [];
  private readonly names = new Set<string>();

  send(topic: string, type: string, data: unknown, _caller: unknown, key?: string): unknown {
    this.sent.push([topic, type, data, key]);
    if (type !== 'thing.create') return { items: [], next_cursor: null };
    const name = (data as { name: string }).name;
    const created = !this.names.has(name);
    this.names.add(name);
    return { created, thing: { name } };
  }
}

describe('ResourceRoutes', () => {
  let app: INestApplication;
  let base: string;
  let platform: RecordingPlatform;

  beforeAll(async () => {
    platform = new RecordingPlatform();
    const module = await Test.createTestingModule({
      controllers: [ThingsController, OthersController],
      providers: [{ provide: PlatformClient, useValue: platform }],
    }).compile();
    app = module.createNestApplication({ logger: false });
    const quiet = { error: jest.fn(), warn: jest.fn(), info: jest.fn(), debug: jest.fn() };
    app.useGlobalFilters(new ProblemFilter(quiet as never));
    // The auth guard's part: every request here comes from one caller.
    app.use((request: Request & { caller?: unknown }, _: Response, next: NextFunction) => {
      request.caller = { principal: 'p', workspaceId: 'w', roles: [], correlationId: 'c' };
      next();
    });
    await app.listen(0, '127.0.0.1');
    base = `${await app.getUrl()}`.replace('[::1]', '127.0.0.1');
  });

  afterAll(() => app.close());

  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('serves only the routes the spec names, with handlers of its own per controller', () => {
    expect(routesOf(ThingsController).map((route) => route.key)).toEqual([
      'POST /v1/things',
      'GET /v1/things',
      'GET /v1/things/:name',
      'DELETE /v1/things/:name',
    ]);
    expect(
      routesOf(OthersController)
        .map((route) => route.key)
        .sort(),
    ).toEqual(['GET /v1/others', 'POST /v1/others']);
    const things = ThingsController.prototype as unknown as Record<string, unknown>;
    const others = OthersController.prototype as unknown as Record<string, unknown>;
    expect(things.list).not.toBe(others.list);
  });

  it('creates (201 with Location), then answers 200 for the same name, keyed by the name', async () => {
    const body = { name: 'tag', expression: '{ "id": id }' };
    const first = await call('POST', '/v1/things', body);
    expect(first.status).toBe(201);
    expect(first.headers.get('location')).toBe('/v1/things/tag');
    expect(await first.json()).toEqual({ name: 'tag' });
    const again = await call('POST', '/v1/things', body);
    expect(again.status).toBe(200);
    expect(platform.sent.at(-1)).toEqual(['thing-commands', 'thing.create', body, 'tag']);
  });

  it('gets and deletes by the key, checked as a path parameter', async () => {
    expect((await call('GET', '/v1/things/tag')).status).toBe(200);
    expect(platform.sent.at(-1)).toEqual(['thing-commands', 'thing.get', { name: 'tag' }, 'tag']);
    const removed = await call('DELETE', '/v1/things/tag');
    expect(removed.status).toBe(204);
    expect(platform.sent.at(-1)).toEqual([
      'thing-commands',
      'thing.delete',
      { name: 'tag' },
      'tag',
    ]);
  });

  it('pages a list through its query class, and reads no query string without one', async () => {
    expect((await call('GET', '/v1/things?limit=5')).status).toBe(200);
    expect(platform.sent.at(-1)).toEqual(['thing-commands', 'thing.list', { limit: 5 }, undefined]);
    const bad = await call('GET', '/v1/things?limit=lots');
    expect(bad.status).toBe(422);
    expect(JSON.stringify(await bad.json())).toContain('"field":"limit"');
    const others = await call('GET', '/v1/others?limit=lots');
    expect((await others.json()) as RouteView).toEqual({ items: [], next_cursor: null });
    expect(platform.sent.at(-1)).toEqual(['other-commands', 'other.list', {}, undefined]);
  });

  it("leaves a controller's own method of a route's name its own parameters", async () => {
    const created = await fetch(`${base}/v1/others`, {
      method: 'POST',
      headers: { 'idempotency-key': 'k-1' },
    });
    expect(created.status).toBe(201);
    expect(platform.sent.at(-1)).toEqual([
      'other-commands',
      'other.create',
      { key: 'k-1' },
      undefined,
    ]);
  });

  it('refuses a body its class does not accept, before anything is sent', async () => {
    const count = platform.sent.length;
    const refused = await call('POST', '/v1/things', { name: 'tag' });
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(JSON.stringify(await refused.json())).toContain('"field":"expression"');
    expect(platform.sent).toHaveLength(count);
  });
});
