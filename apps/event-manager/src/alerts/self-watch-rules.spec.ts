import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { comparisons, parseCondition } from './condition';
import { sourceOf } from './metric-scope';
import { fieldsOf, SELF_WATCH_RULES } from './self-watch-rules';

interface PrometheusRule {
  alert: string;
  for?: string;
  labels?: { severity?: string };
}

const ALERTS_YML = path.join(__dirname, '../../../../deploy/observability/prometheus/alerts.yml');

describe("the platform's self-watch rules", () => {
  const prometheus = (
    parse(fs.readFileSync(ALERTS_YML, 'utf8')) as { groups: { rules: PrometheusRule[] }[] }
  ).groups.flatMap((group) => group.rules);

  it.each(SELF_WATCH_RULES.map((rule) => [rule.name, rule] as const))(
    '%s matches its Prometheus rule (for, severity)',
    (_name, rule) => {
      const twin = prometheus.find((r) => r.alert === rule.prometheus);
      expect(twin).toBeDefined();
      expect(twin!.for).toBe(rule.for);
      expect(twin!.labels?.severity).toBe(rule.severity);
    },
  );

  it('covers dead letters, consumer lag and readiness, each a valid platform rule', () => {
    expect(SELF_WATCH_RULES.map((r) => r.prometheus).sort()).toEqual([
      'BatonConsumerLagGrowing',
      'BatonDeadLettersGrowing',
      'BatonServiceNotReady',
    ]);
    for (const rule of SELF_WATCH_RULES) {
      const fields = fieldsOf(rule);
      expect(fields.scope).toEqual({ platform: true });
      expect(fields.notification_channels).toEqual(['admin']);
      for (const comparison of comparisons(parseCondition(rule.condition)))
        expect(sourceOf(comparison.metric, 'platform')).toBeDefined();
    }
  });
});
