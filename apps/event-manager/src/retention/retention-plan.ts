/** A retention policy as enforcement reads it. */
export interface RetentionRule {
  id: string;
  workspaceId: string;
  /** An event type, a pattern like `order.*`, or `*` (the workspace's default). */
  type: string;
  maxAgeMs: number;
}

export interface RetentionPlan {
  rule: RetentionRule;
  /** Patterns of more specific policies of the same workspace: they decide for their events. */
  excluded: string[];
}

/**
 * How specific a pattern is: an exact type beats any pattern, a pattern with
 * a longer literal prefix beats a shorter one, and `*` is the fallback.
 */
export function specificity(pattern: string): [number, number] {
  if (!pattern.includes('*')) return [2, pattern.length];
  return [1, pattern.indexOf('*')];
}

function moreSpecific(a: string, b: string): boolean {
  const [ka, la] = specificity(a);
  const [kb, lb] = specificity(b);
  return ka > kb || (ka === kb && la > lb);
}

/**
 * One plan per policy. Each event is governed by the most specific policy
 * that matches its type: a policy never deletes events that a more specific
 * policy of its workspace also matches (those keep the age that one says).
 */
export function retentionPlans(rules: readonly RetentionRule[]): RetentionPlan[] {
  return rules.map((rule) => ({
    rule,
    excluded: rules
      .filter((other) => other.workspaceId === rule.workspaceId && other.id !== rule.id)
      .filter((other) => moreSpecific(other.type, rule.type))
      .map((other) => other.type),
  }));
}
