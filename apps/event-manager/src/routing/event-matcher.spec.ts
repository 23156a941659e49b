import { buildRoutingTable, channelOf, matchEvent, type RouteDefinition } from './event-matcher';

const event = (type: string, data: unknown = {}, source = 'shop') => ({
  type,
  source,
  cloudEvent: { type, source, data },
});

const route = (overrides: Partial<RouteDefinition>): RouteDefinition => ({
  id: 'r',
  name: 'r',
  position: 10,
  events: [],
  source: null,
  filter: null,
  destinations: [{}],
  onMatch: 'continue',
  ...overrides,
});

describe('matchEvent', () => {
  it('matches subscriptions by type pattern and filter', async () => {
    const table = buildRoutingTable(
      [
        { id: 'all-orders', events: ['order.*'], filter: null },
        { id: 'big-orders', events: ['order.created'], filter: 'data.total > 100' },
        { id: 'payments', events: ['payment.*'], filter: null },
      ],
      [],
    );
    expect(await matchEvent(table, event('order.created', { total: 500 }))).toEqual([
      { kind: 'subscription', id: 'all-orders' },
      { kind: 'subscription', id: 'big-orders' },
    ]);
    expect(await matchEvent(table, event('order.created', { total: 5 }))).toEqual([
      { kind: 'subscription', id: 'all-orders' },
    ]);
    expect(await matchEvent(table, event('orders.created'))).toEqual([]);
  });

  it('walks routes in position order, every destination, until a matching stop route', async () => {
    const table = buildRoutingTable(
      [],
      [
        route({ id: 'late', name: 'late', position: 30, events: ['order.*'] }),
        route({
          id: 'vip',
          name: 'vip',
          position: 10,
          events: ['order.*'],
          filter: 'data.vip',
          destinations: [{}, {}],
          onMatch: 'stop',
        }),
        route({ id: 'mid', name: 'mid', position: 20, events: ['order.*'], source: 'shop-*' }),
      ],
    );
    expect(await matchEvent(table, event('order.created', { vip: true }))).toEqual([
      { kind: 'route', id: 'vip', destination: 0 },
      { kind: 'route', id: 'vip', destination: 1 },
    ]);
    expect(await matchEvent(table, event('order.created', { vip: false }, 'shop-eu'))).toEqual([
      { kind: 'route', id: 'mid', destination: 0 },
      { kind: 'route', id: 'late', destination: 0 },
    ]);
  });

  it('treats a route without event patterns as matching every type', async () => {
    const table = buildRoutingTable([], [route({ id: 'any' })]);
    expect(await matchEvent(table, event('anything.at.all'))).toHaveLength(1);
  });

  it('counts a filter that fails on an event as no match, and reports it', async () => {
    const failures: string[] = [];
    const table = buildRoutingTable([{ id: 's', events: ['*'], filter: '$uppercase(data)' }], []);
    expect(await matchEvent(table, event('x', 42), (id) => failures.push(id))).toEqual([]);
    expect(failures).toEqual(['s']);
  });

  it('leaves out a rule whose stored expression no longer compiles', () => {
    const invalid: string[] = [];
    const table = buildRoutingTable([{ id: 'bad', events: ['*'], filter: '(' }], [], (id) =>
      invalid.push(id),
    );
    expect(table.subscriptions).toEqual([]);
    expect(invalid).toEqual(['bad']);
  });
});

describe('channelOf', () => {
  it('names one subscription or one destination of a route', () => {
    expect(channelOf({ kind: 'subscription', id: 'a' })).toBe('sub:a');
    expect(channelOf({ kind: 'route', id: 'b', destination: 2 })).toBe('route:b:2');
  });
});
