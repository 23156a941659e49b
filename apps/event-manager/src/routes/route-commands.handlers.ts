import {
  CreateRouteCommand,
  DomainError,
  EventRoutingMessageTypes as Types,
  PageQuery,
  RouteNameQuery,
  type RouteView,
  onePage,
} from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import type { CommandRegistry } from '@baton/kafka';
import { CommandHandlers } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { toDestination, toDestinationView } from '../routing/destination';
import { DestinationChecks, newSigningSecret } from '../routing/destination-checks';
import { compileOrReject } from '../routing/jsonata-expression';
import { routeOwner, SigningSecrets } from '../routing/signing-secrets';
import { RouteEntity } from '../routing/route.entity';
import { RoutesRepository } from '../routing/routes.repository';

@Injectable()
export class RouteCommandsHandlers extends CommandHandlers {
  constructor(
    private readonly routes: RoutesRepository,
    private readonly checks: DestinationChecks,
    private readonly uow: UnitOfWork,
    private readonly secrets: SigningSecrets,
  ) {
    super();
  }

  register(server: CommandRegistry): void {
    server
      .handle(Types.routeCreate, CreateRouteCommand, (command, envelope) =>
        this.create(command, envelope.workspaceid),
      )
      .handle(Types.routeList, PageQuery, async (_query, envelope) =>
        onePage((await this.routes.list(envelope.workspaceid)).map((route) => toRouteView(route))),
      )
      .handle(Types.routeGet, RouteNameQuery, async (query, envelope) => {
        const route = await this.routes.find(envelope.workspaceid, query.name);
        if (!route) throw DomainError.notFound('route', query.name);
        return toRouteView(route);
      })
      .handle(Types.routeDelete, RouteNameQuery, async (query, envelope) => {
        return this.uow.run(async (tx) => {
          if (!(await this.routes.delete(envelope.workspaceid, query.name, tx.manager))) {
            throw DomainError.notFound('route', query.name);
          }
          tx.audit({ action: 'route.delete', target: `route/${query.name}` });
          return { deleted: true };
        });
      });
  }

  /** Creates the route, or replaces the one of the same name (201 or 200). */
  private async create(
    command: CreateRouteCommand,
    workspaceId: string,
  ): Promise<{ created: boolean; route: RouteView }> {
    if (command.filter !== undefined) compileOrReject(command.filter, 'filter');
    const destinations = command.destinations.map((dto, index) =>
      toDestination(dto, `destinations[${index}]`, command.transform ?? null),
    );
    for (const [index, destination] of destinations.entries()) {
      await this.checks.check(workspaceId, destination, `destinations[${index}]`);
    }
    const signs = destinations.some((d) => d.kind === 'webhook');
    if (command.secret !== undefined && !signs) {
      throw DomainError.invalid('secret', 'applies to routes with a webhook destination only');
    }
    // Replacing a route keeps its secret unless a new one is given; only a new secret is answered.
    const existing = await this.routes.find(workspaceId, command.name);
    const fresh = signs && (command.secret !== undefined || !existing?.secret);
    const secret = signs && fresh ? (command.secret ?? newSigningSecret()) : null;
    // Stored sealed; a kept secret stays as it was stored. A new one is answered once.
    const stored = !signs
      ? null
      : secret
        ? this.secrets.seal(secret, routeOwner(workspaceId, command.name))
        : existing!.secret;
    const now = new Date();
    const route = Object.assign(new RouteEntity(), {
      id: randomUUID(),
      workspaceId,
      name: command.name,
      position: command.position ?? 0,
      events: [...new Set(command.events ?? [])],
      source: command.source ?? null,
      filter: command.filter ?? null,
      transform: command.transform ?? null,
      destinations,
      onMatch: command.on_match ?? 'continue',
      secret: stored,
      createdAt: now,
      updatedAt: now,
    } satisfies RouteEntity);
    const created = await this.uow.run(async (tx) => {
      if (command.position === undefined) {
        route.position =
          existing?.position ?? (await this.routes.nextPosition(tx.manager, workspaceId));
      }
      tx.audit({ action: 'route.put', target: `route/${route.name}` });
      return this.routes.save(tx.manager, route);
    });
    const view = toRouteView(route);
    return { created, route: secret ? { ...view, secret } : view };
  }
}

export function toRouteView(route: RouteEntity): RouteView {
  return {
    id: route.id,
    name: route.name,
    position: route.position,
    events: route.events,
    source: route.source,
    filter: route.filter,
    transform: route.transform,
    destinations: route.destinations.map(toDestinationView),
    on_match: route.onMatch,
    created_at: route.createdAt.toISOString(),
    updated_at: route.updatedAt.toISOString(),
  };
}
