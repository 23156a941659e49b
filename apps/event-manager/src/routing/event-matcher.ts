import type { LinearRegex } from '@baton/tenant-code';
import { matchesAnyPattern, typePatternRegExp } from '../event-store/event-type-pattern';
import { compileJsonata, isTruthy, type CompiledJsonata } from './jsonata-expression';

/** A subscription as matching needs it. */
export interface SubscriptionRule {
  id: string;
  patterns: LinearRegex[];
  filter: CompiledJsonata | null;
}

/** A route as matching needs it; routes are tried in `position` order. */
export interface RouteRule {
  id: string;
  patterns: LinearRegex[];
  source: LinearRegex | null;
  filter: CompiledJsonata | null;
  destinations: number;
  stop: boolean;
}

export interface RoutingTable {
  subscriptions: SubscriptionRule[];
  routes: RouteRule[];
}

/** What matching reads of a stored event: its type, source and the CloudEvent filters see. */
export interface MatchableEvent {
  type: string;
  source: string;
  cloudEvent: Record<string, unknown>;
}

export type EventMatch =
  { kind: 'subscription'; id: string } | { kind: 'route'; id: string; destination: number };

export interface RuleDefinition {
  id: string;
  events: string[];
  filter: string | null;
}

export interface RouteDefinition extends RuleDefinition {
  position: number;
  name: string;
  source: string | null;
  destinations: unknown[];
  onMatch: 'continue' | 'stop';
}

/**
 * Compiles stored rules. Expressions were checked when the rule was created,
 * so one that no longer compiles (a JSONata upgrade) makes its rule match
 * nothing instead of failing the whole batch; `onInvalid` reports it.
 */
export function buildRoutingTable(
  subscriptions: RuleDefinition[],
  routes: RouteDefinition[],
  onInvalid: (id: string, error: Error) => void = () => undefined,
): RoutingTable {
  const ordered = [...routes].sort(
    (a, b) => a.position - b.position || a.name.localeCompare(b.name),
  );
  return {
    subscriptions: compileEach(subscriptions, onInvalid, (sub) => ({
      id: sub.id,
      patterns: sub.events.map(typePatternRegExp),
      filter: sub.filter ? compileJsonata(sub.filter) : null,
    })),
    routes: compileEach(ordered, onInvalid, (route) => ({
      id: route.id,
      patterns: route.events.map(typePatternRegExp),
      source: route.source ? typePatternRegExp(route.source) : null,
      filter: route.filter ? compileJsonata(route.filter) : null,
      destinations: route.destinations.length,
      stop: route.onMatch === 'stop',
    })),
  };
}

/** Each definition compiled, in order; one that does not compile is reported and left out. */
function compileEach<D extends { id: string }, C>(
  definitions: D[],
  onInvalid: (id: string, error: Error) => void,
  compile: (definition: D) => C,
): C[] {
  const compiled: C[] = [];
  for (const definition of definitions) {
    try {
      compiled.push(compile(definition));
    } catch (error) {
      onInvalid(definition.id, error as Error);
    }
  }
  return compiled;
}

/**
 * Everything one event is delivered to: every destination of each matching
 * route, in route order, until a matching `stop` route; then every matching
 * subscription. A filter that fails on this event (a type error, say) counts
 * as no match and is reported through `onFilterError`.
 */
export async function matchEvent(
  table: RoutingTable,
  event: MatchableEvent,
  onFilterError: (ruleId: string, error: Error) => void = () => undefined,
): Promise<EventMatch[]> {
  const matches: EventMatch[] = [];
  const passes = async (id: string, filter: CompiledJsonata | null): Promise<boolean> => {
    if (!filter) return true;
    try {
      return isTruthy(await filter.evaluate(event.cloudEvent));
    } catch (error) {
      onFilterError(id, error as Error);
      return false;
    }
  };
  for (const route of table.routes) {
    if (!matchesAnyPattern(route.patterns, event.type)) continue;
    if (route.source && !route.source.test(event.source)) continue;
    if (!(await passes(route.id, route.filter))) continue;
    for (let destination = 0; destination < route.destinations; destination++) {
      matches.push({ kind: 'route', id: route.id, destination });
    }
    if (route.stop) break;
  }
  for (const sub of table.subscriptions) {
    if (!matchesAnyPattern(sub.patterns, event.type)) continue;
    if (!(await passes(sub.id, sub.filter))) continue;
    matches.push({ kind: 'subscription', id: sub.id });
  }
  return matches;
}

/** The delivery channel of a match: one subscription, or one destination of one route. */
export function channelOf(match: EventMatch): string {
  return match.kind === 'subscription'
    ? `sub:${match.id}`
    : `route:${match.id}:${match.destination}`;
}
