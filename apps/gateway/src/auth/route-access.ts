import { ROUTE_PERMISSIONS, routeKey, type RouteAccess } from '@baton/contracts';
import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';

type Handler = (...args: unknown[]) => unknown;

const pathsOf = (target: object): string[] => {
  const path = Reflect.getMetadata(PATH_METADATA, target) as string | string[] | undefined;
  if (path === undefined) return [];
  return Array.isArray(path) ? path : [path];
};

/** Own and inherited (ResourceRoutes) method names, as Nest finds the handlers it serves. */
function methodNames(prototype: object): Set<string> {
  const names = new Set<string>();
  for (let p = prototype; p !== Object.prototype; p = Object.getPrototypeOf(p) as object) {
    for (const name of Object.getOwnPropertyNames(p)) names.add(name);
  }
  return names;
}

/** `METHOD /path` of every route a controller serves, by its handler. */
export function routesOf(controller: Type): { handler: Handler; key: string }[] {
  const prefixes = pathsOf(controller);
  const prototype = controller.prototype as Record<string, unknown>;
  const routes: { handler: Handler; key: string }[] = [];
  for (const name of methodNames(prototype)) {
    const handler = prototype[name];
    if (typeof handler !== 'function' || name === 'constructor') continue;
    const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
    if (method === undefined) continue;
    for (const prefix of prefixes.length ? prefixes : ['']) {
      for (const path of pathsOf(handler)) {
        routes.push({
          handler: handler as Handler,
          key: routeKey(RequestMethod[method], `${prefix}/${path}`),
        });
      }
    }
  }
  return routes;
}

/**
 * The access each handler needs, looked up once from the permission table in
 * libs/contracts. Building it throws when a route has no entry there, so a
 * gateway with an undeclared route does not start.
 */
export class RouteAccessTable {
  private readonly byHandler = new Map<Handler, RouteAccess>();

  constructor(
    controllers: Type[],
    table: Readonly<Record<string, RouteAccess>> = ROUTE_PERMISSIONS,
  ) {
    const missing: string[] = [];
    for (const controller of controllers) {
      for (const { handler, key } of routesOf(controller)) {
        const access = table[key];
        if (access === undefined) missing.push(`${key} (${controller.name})`);
        else this.byHandler.set(handler, access);
      }
    }
    if (missing.length > 0) {
      throw new Error(
        `routes without a permission in libs/contracts/src/security/permissions.ts: ${missing.join(', ')}`,
      );
    }
  }

  accessOf(handler: Handler): RouteAccess | undefined {
    return this.byHandler.get(handler);
  }
}
