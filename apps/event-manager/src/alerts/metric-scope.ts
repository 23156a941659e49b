import type { MetricName } from './condition';
import type { RuleScope } from './alert-rule';

/**
 * Which data a metric reads at which scope (docs/alerts.md):
 * agent invocation outcomes, durations, queue lag and breakers come from
 * agent-manager; connection calls and breakers from integration-manager;
 * runs from the workflow events in the event store; dead letters from the
 * baton.dlq.* topics (and dead deliveries and notifications); the services'
 * readiness and consumer lag from their status reports (platform rules only);
 * the share of llm budgets used from agent-manager (`budget_used`: the
 * budget's own day and month, whatever the rule's window).
 */
export type ScopeKind = 'workspace' | 'agent' | 'workflow' | 'connection' | 'platform';
export type Source =
  | 'agents'
  | 'workflows'
  | 'connections'
  | 'dead-letters'
  | 'agents-and-connections'
  | 'services'
  | 'budgets';

const SOURCES: Record<MetricName, Partial<Record<ScopeKind, Source>>> = {
  error_rate: {
    workspace: 'agents',
    agent: 'agents',
    workflow: 'workflows',
    connection: 'connections',
  },
  success_rate: {
    workspace: 'agents',
    agent: 'agents',
    workflow: 'workflows',
    connection: 'connections',
  },
  p95_latency_ms: {
    workspace: 'agents',
    agent: 'agents',
    workflow: 'workflows',
    connection: 'connections',
  },
  runs_failed: { workspace: 'workflows', workflow: 'workflows' },
  queue_lag: { workspace: 'agents', agent: 'agents' },
  dead_letters: { workspace: 'dead-letters', platform: 'dead-letters' },
  breaker_open: {
    workspace: 'agents-and-connections',
    agent: 'agents',
    connection: 'connections',
  },
  consumer_lag: { platform: 'services' },
  services_not_ready: { platform: 'services' },
  budget_used: { workspace: 'budgets', agent: 'budgets' },
};

export function scopeKind(scope: RuleScope | null): ScopeKind {
  if (scope?.agent) return 'agent';
  if (scope?.workflow) return 'workflow';
  if (scope?.connection) return 'connection';
  if (scope?.platform) return 'platform';
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
