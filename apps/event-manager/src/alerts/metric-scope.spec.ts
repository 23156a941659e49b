import { scopeKind, scopesOf, sourceOf } from './metric-scope';

describe('which data a metric reads at which scope', () => {
  it('reads agents, workflows, connections, dead letters or service reports', () => {
    expect(sourceOf('error_rate', 'workspace')).toBe('agents');
    expect(sourceOf('error_rate', 'workflow')).toBe('workflows');
    expect(sourceOf('error_rate', 'connection')).toBe('connections');
    expect(sourceOf('breaker_open', 'connection')).toBe('connections');
    expect(sourceOf('breaker_open', 'workspace')).toBe('agents-and-connections');
    expect(sourceOf('runs_failed', 'agent')).toBeUndefined();
    expect(sourceOf('runs_failed', 'connection')).toBeUndefined();
    expect(sourceOf('queue_lag', 'connection')).toBeUndefined();
    expect(sourceOf('dead_letters', 'workspace')).toBe('dead-letters');
    expect(sourceOf('dead_letters', 'platform')).toBe('dead-letters');
    expect(scopesOf('queue_lag')).toEqual(['workspace', 'agent']);
  });

  it('keeps the services’ own figures to platform rules', () => {
    expect(scopesOf('consumer_lag')).toEqual(['platform']);
    expect(scopesOf('services_not_ready')).toEqual(['platform']);
    expect(sourceOf('error_rate', 'platform')).toBeUndefined();
  });

  it('reads budget_used from the llm budgets of a workspace or an agent', () => {
    expect(scopesOf('budget_used')).toEqual(['workspace', 'agent']);
    expect(sourceOf('budget_used', 'agent')).toBe('budgets');
    expect(sourceOf('budget_used', 'connection')).toBeUndefined();
  });

  it('takes the scope kind from the one field given', () => {
    expect(scopeKind(null)).toBe('workspace');
    expect(scopeKind({ agent: 'a' })).toBe('agent');
    expect(scopeKind({ workflow: 'w' })).toBe('workflow');
    expect(scopeKind({ connection: 'c' })).toBe('connection');
    expect(scopeKind({ platform: true })).toBe('platform');
  });
});
