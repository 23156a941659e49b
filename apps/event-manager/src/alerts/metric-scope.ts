import type { MetricName } from './condition';
import type { RuleScope } from './alert-rule';

/**
 * Which data a metric reads at which scope (docs/alerts.md):
 * agent invocation outcomes, durations, tasks in flight and breakers come
 * from agent-manager; runs from the workflow events in the event store; dead
 * letters from the event store's dead deliveries and notifications.
 */
export type ScopeKind = 'workspace' | 'agent' | 'workflow' | 'connection';
export type Source = 'agents' | 'workflows' | 'dead-letters';

const SOURCES: Record<MetricName, Partial<Record<ScopeKind, Source>>> = {
  error_rate: { workspace: 'agents', agent: 'agents', workflow: 'workflows' },
  success_rate: { workspace: 'agents', agent: 'agents', workflow: 'workflows' },
  p95_latency_ms: { workspace: 'agents', agent: 'agents', workflow: 'workflows' },
  runs_failed: { workspace: 'workflows', workflow: 'workflows' },
  queue_lag: { workspace: 'agents', agent: 'agents' },
  dead_letters: { workspace: 'dead-letters' },
  breaker_open: { workspace: 'agents', agent: 'agents' },
};

export function scopeKind(scope: RuleScope | null): ScopeKind {
  if (scope?.agent) return 'agent';
  if (scope?.workflow) return 'workflow';
  if (scope?.connection) return 'connection';
  return 'workspace';
}

/** Where `metric` comes from at `scope`, or undefined when it has no meaning there. */
export function sourceOf(metric: MetricName, scope: ScopeKind): Source | undefined {
  return SOURCES[metric][scope];
}

/** The scopes a metric can be evaluated at, for error messages. */
export function scopesOf(metric: MetricName): ScopeKind[] {
  return Object.keys(SOURCES[metric]) as ScopeKind[];
}
