import { retentionPlans, specificity, type RetentionRule } from './retention-plan';

const rule = (id: string, type: string, workspaceId = 'acme'): RetentionRule => ({
  id,
  workspaceId,
  type,
  maxAgeMs: 1_000,
});

describe('retentionPlans', () => {
  it('lets the most specific policy of a workspace decide for its events', () => {
    const plans = retentionPlans([
      rule('default', '*'),
      rule('orders', 'order.*'),
      rule('created', 'order.created'),
      rule('other-ws', 'order.created', 'globex'),
    ]);
    const excluded = Object.fromEntries(plans.map((p) => [p.rule.id, p.excluded.sort()]));
    expect(excluded).toEqual({
      default: ['order.*', 'order.created'],
      orders: ['order.created'],
      created: [],
      'other-ws': [],
    });
  });

  it('ranks exact types over patterns, and longer prefixes over shorter ones', () => {
    expect(specificity('order.created')[0]).toBeGreaterThan(specificity('order.*')[0]);
    expect(specificity('order.eu.*')[1]).toBeGreaterThan(specificity('order.*')[1]);
    expect(specificity('*')).toEqual([1, 0]);
  });
});
