import { ROUTE_PERMISSIONS } from '@baton/contracts';
import { Controller, Get, Post } from '@nestjs/common';
import { HealthController, MetricsController } from '@baton/service-kit';
import { GATEWAY_CONTROLLERS } from '../gateway.module';
import { RouteAccessTable, routesOf } from './route-access';

@Controller('v1/things')
class ThingsController {
  @Get(':id')
  get(): void {}

  @Post()
  create(): void {}
}

describe('RouteAccessTable', () => {
  it('names each route as METHOD /path with the controller prefix', () => {
    expect(routesOf(ThingsController).map((route) => route.key)).toEqual([
      'GET /v1/things/:id',
      'POST /v1/things',
    ]);
  });

  it('refuses a controller whose route has no permission, naming the route', () => {
    expect(
      () => new RouteAccessTable([ThingsController], { 'GET /v1/things/:id': 'public' }),
    ).toThrow(/POST \/v1\/things \(ThingsController\)/);
  });

  it('answers the declared access by handler', () => {
    const table = new RouteAccessTable([ThingsController], {
      'GET /v1/things/:id': 'agents:read',
      'POST /v1/things': 'agents:write',
    });
    expect(table.accessOf(ThingsController.prototype.create as never)).toBe('agents:write');
  });

  it('covers every route the gateway serves, and declares no route it does not serve', () => {
    const controllers = [...GATEWAY_CONTROLLERS, HealthController, MetricsController];
    expect(() => new RouteAccessTable(controllers)).not.toThrow();
    const served = new Set(controllers.flatMap((c) => routesOf(c).map((route) => route.key)));
    expect(Object.keys(ROUTE_PERMISSIONS).filter((key) => !served.has(key))).toEqual([]);
  });
});
