import { METRICS } from './condition';
import { scopeKind, scopesOf, sourceOf } from './metric-scope';

describe('which data a metric reads at which scope', () => {
  it('reads agents, workflows or dead letters, and nothing for connections yet', () => {
    expect(sourceOf('error_rate', 'workspace')).toBe('agents');
    expect(sourceOf('error_rate', 'workflow')).toBe('workflows');
    expect(sourceOf('runs_failed', 'agent')).toBeUndefined();
    expect(sourceOf('dead_letters', 'workspace')).toBe('dead-letters');
    for (const metric of METRICS) expect(sourceOf(metric, 'connection')).toBeUndefined();
    expect(scopesOf('queue_lag')).toEqual(['workspace', 'agent']);
  });

  it('takes the scope kind from the one field given', () => {
    expect(scopeKind(null)).toBe('workspace');
    expect(scopeKind({ agent: 'a' })).toBe('agent');
    expect(scopeKind({ workflow: 'w' })).toBe('workflow');
  });
});
