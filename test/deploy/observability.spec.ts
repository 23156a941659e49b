// Static checks of deploy/observability: every PromQL query of the Grafana dashboards and of the
// Prometheus alerting rules names a metric the services export, with labels that metric has.
// The exported metrics are read from the code (every prom-client metric the apps and libs
// declare, found in their syntax trees) and from prom-client's default process metrics, not
// from a hand-written list that could drift.
import { readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';
import { collectDefaultMetrics, Registry } from 'prom-client';
import * as ts from 'typescript';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..', '..');
const OBS = join(ROOT, 'deploy', 'observability');

/** Labels every sample has besides its own: the services' default label and Prometheus' target labels. */
const ALWAYS_LABELS = ['service', 'job', 'instance'];
/** Series Prometheus itself makes for each target. */
const PROMETHEUS_SERIES = new Map([['up', [] as string[]]]);
const METRIC_CONSTRUCTORS = new Set(['Counter', 'Gauge', 'Histogram', 'Summary']);
const METRIC_HELPERS = new Set(['counter', 'gauge', 'histogram']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** The string a node stands for: a literal, or a `const` of this file initialised with one. */
function stringOf(node: ts.Expression, file: ts.SourceFile): string | undefined {
  if (ts.isStringLiteralLike(node)) return node.text;
  if (!ts.isIdentifier(node)) return undefined;
  let found: string | undefined;
  const visit = (n: ts.Node): void => {
    if (
      ts.isVariableDeclaration(n) &&
      ts.isIdentifier(n.name) &&
      n.name.text === node.text &&
      n.initializer &&
      ts.isStringLiteralLike(n.initializer)
    )
      found = n.initializer.text;
    ts.forEachChild(n, visit);
  };
  visit(file);
  return found;
}

/** Every metric the code declares: `new Counter({ name, labelNames })`, `gauge({...})`, ... */
function declaredMetrics(): Map<string, { type: string; labels: string[] }> {
  const metrics = new Map<string, { type: string; labels: string[] }>();
  for (const path of [...sourceFiles(join(ROOT, 'apps')), ...sourceFiles(join(ROOT, 'libs'))]) {
    const text = readFileSync(path, 'utf8');
    if (!text.includes('prom-client') && !text.includes('@baton/telemetry')) continue;
    const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && node.arguments?.length) {
        const callee = node.expression.getText(file);
        const type = ts.isNewExpression(node)
          ? METRIC_CONSTRUCTORS.has(callee) && callee
          : METRIC_HELPERS.has(callee) && callee[0].toUpperCase() + callee.slice(1);
        const config = node.arguments[0];
        if (type && ts.isObjectLiteralExpression(config)) {
          let name: string | undefined;
          let labels: string[] = [];
          for (const prop of config.properties) {
            if (!ts.isPropertyAssignment(prop)) continue;
            const key = prop.name.getText(file);
            if (key === 'name') name = stringOf(prop.initializer, file);
            if (key === 'labelNames') {
              const init = prop.initializer;
              const elements = ts.isArrayLiteralExpression(init)
                ? init.elements
                : ts.isIdentifier(init)
                  ? labelArrayOf(init, file)
                  : [];
              labels = elements.flatMap((e) => {
                if (ts.isSpreadElement(e) && ts.isIdentifier(e.expression)) {
                  return labelArrayOf(e.expression, file).flatMap((x) => stringOf(x, file) ?? []);
                }
                return stringOf(e as ts.Expression, file) ?? [];
              });
            }
          }
          if (name) metrics.set(name, { type, labels });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return metrics;
}

/** The elements of `const X = ['a', 'b'] as const` in this file. */
function labelArrayOf(id: ts.Identifier, file: ts.SourceFile): ts.Expression[] {
  let found: ts.Expression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === id.text) {
      let init = n.initializer;
      while (init && ts.isAsExpression(init)) init = init.expression;
      if (init && ts.isArrayLiteralExpression(init)) found = [...init.elements];
    }
    ts.forEachChild(n, visit);
  };
  visit(file);
  return found;
}

/** Series names a scrape shows, each with the labels it may be filtered on. */
function exportedSeries(): Map<string, string[] | 'any'> {
  const series = new Map<string, string[] | 'any'>();
  for (const [name, { type, labels }] of declaredMetrics()) {
    if (type === 'Histogram') {
      series.set(`${name}_bucket`, [...labels, 'le']);
      series.set(`${name}_sum`, labels);
      series.set(`${name}_count`, labels);
    } else if (type === 'Summary') {
      series.set(name, [...labels, 'quantile']);
      series.set(`${name}_sum`, labels);
      series.set(`${name}_count`, labels);
    } else series.set(name, labels);
  }
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  for (const metric of registry.getMetricsAsArray()) {
    const { name, type } = metric as unknown as { name: string; type: string };
    const names =
      type === 'histogram' ? ['_bucket', '_sum', '_count'].map((s) => name + s) : [name];
    for (const n of names) series.set(n, 'any');
  }
  for (const [name, labels] of PROMETHEUS_SERIES) series.set(name, labels);
  return series;
}

const PROMQL_WORDS = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'count',
  'by',
  'without',
  'rate',
  'irate',
  'increase',
  'delta',
  'deriv',
  'histogram_quantile',
  'and',
  'or',
  'unless',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'label_values',
  'abs',
  'clamp_min',
  'clamp_max',
  'time',
  'vector',
  'bool',
  'offset',
  'topk',
  'bottomk',
  'quantile',
  'stddev',
  'absent',
  'avg_over_time',
  'max_over_time',
]);

/** The metric selectors of a PromQL expression: name and the label keys it filters on. */
function selectorsOf(expr: string): { metric: string; labels: string[] }[] {
  const withoutStrings = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  // Grouping clauses name labels, not metrics.
  const withoutGrouping = withoutStrings.replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, '');
  const selectors: { metric: string; labels: string[] }[] = [];
  const pattern = /([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{[^}]*\})?/g;
  for (const match of withoutGrouping.matchAll(pattern)) {
    const [, word, braces] = match;
    const after = withoutGrouping.slice((match.index ?? 0) + match[0].length).trimStart();
    if (PROMQL_WORDS.has(word) || after.startsWith('(') || /^\d/.test(word)) continue;
    if (/^(le|[a-z]+)$/.test(word) && !braces && !PROMETHEUS_SERIES.has(word)) continue;
    const labels = braces
      ? [...braces.matchAll(/([a-zA-Z_]\w*)\s*(=~|!~|!=|=)/g)].map((m) => m[1])
      : [];
    selectors.push({ metric: word, labels });
  }
  return selectors;
}

function dashboards(): { file: string; board: Record<string, unknown> }[] {
  const dir = join(OBS, 'grafana', 'dashboards');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => ({ file: name, board: JSON.parse(readFileSync(join(dir, name), 'utf8')) }));
}

/** Every query of a dashboard: panel targets and template variable queries. */
function queriesOf(board: Record<string, unknown>): string[] {
  const panels = (board.panels as { targets?: { expr: string }[] }[]) ?? [];
  const variables = ((board.templating as { list?: { definition?: string }[] })?.list ?? []).map(
    (v) => /label_values\((\w+)/.exec(v.definition ?? '')?.[1] ?? '',
  );
  return [
    ...panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)),
    ...variables.filter(Boolean),
  ];
}

describe('deploy/observability', () => {
  const series = exportedSeries();

  it('finds the metrics the code declares (the scan itself works)', () => {
    expect(series.get('baton_workflow_runs_started_total')).toEqual([
      'workspace',
      'workflow',
      'version',
    ]);
    expect(series.get('baton_agent_tasks_total')).toEqual(['workspace', 'agent', 'status']);
    expect(series.get('baton_dead_letters_total')).toEqual(['consumer', 'kind']);
    expect(series.has('baton_workflow_step_duration_seconds_bucket')).toBe(true);
    expect(series.get('process_cpu_seconds_total')).toBe('any');
  });

  it('has the five dashboards, each with its own uid and the provisioned datasource', () => {
    const boards = dashboards();
    expect(boards.map((b) => b.file).sort()).toEqual([
      'agents.json',
      'events.json',
      'integrations.json',
      'platform.json',
      'workflows.json',
    ]);
    expect(new Set(boards.map((b) => b.board.uid)).size).toBe(boards.length);
    const datasource = parse(
      readFileSync(join(OBS, 'grafana', 'provisioning', 'datasources', 'baton.yaml'), 'utf8'),
    ) as { datasources: { uid: string }[] };
    const uid = datasource.datasources[0].uid;
    for (const { board } of boards) {
      for (const panel of board.panels as { datasource: { uid: string } }[]) {
        expect(panel.datasource.uid).toBe(uid);
      }
    }
  });

  it.each(dashboards().map((b) => [b.file, b.board] as const))(
    '%s: every query names an exported metric, filtered on labels it has',
    (_file, board) => {
      const queries = queriesOf(board);
      expect(queries.length).toBeGreaterThan(0);
      for (const query of queries) {
        const selectors = selectorsOf(query);
        expect({ query, selectors: selectors.length > 0 }).toEqual({ query, selectors: true });
        for (const { metric, labels } of selectors) {
          expect({ query, metric, exported: series.has(metric) }).toEqual({
            query,
            metric,
            exported: true,
          });
          const known = series.get(metric);
          if (known === 'any' || known === undefined) continue;
          for (const label of labels) {
            expect({ metric, label, known: [...known, ...ALWAYS_LABELS].includes(label) }).toEqual({
              metric,
              label,
              known: true,
            });
          }
        }
      }
    },
  );

  it('alerting rules name exported metrics, and cover the self-watch conditions', () => {
    const rules = parse(readFileSync(join(OBS, 'prometheus', 'alerts.yml'), 'utf8')) as {
      groups: { rules: { alert: string; expr: string }[] }[];
    };
    const all = rules.groups.flatMap((g) => g.rules);
    expect(all.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        'BatonDeadLettersGrowing',
        'BatonConsumerLagGrowing',
        'BatonServiceNotReady',
      ]),
    );
    for (const rule of all) {
      const selectors = selectorsOf(rule.expr);
      expect(selectors.length).toBeGreaterThan(0);
      for (const { metric } of selectors) {
        expect({ alert: rule.alert, metric, exported: series.has(metric) }).toEqual({
          alert: rule.alert,
          metric,
          exported: true,
        });
      }
    }
    const prometheus = parse(readFileSync(join(OBS, 'prometheus', 'prometheus.yml'), 'utf8')) as {
      rule_files: string[];
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    };
    expect(prometheus.rule_files).toContain('alerts.yml');
    // The six metrics ports: PORT + 6000 (libs/service-kit/src/metrics-access.ts).
    expect(prometheus.scrape_configs[0].static_configs[0].targets).toHaveLength(6);
  });

  it('the collector receives OTLP traces over HTTP, where the services send them', () => {
    const collector = parse(readFileSync(join(OBS, 'otel', 'collector.yaml'), 'utf8')) as {
      receivers: { otlp: { protocols: { http: { endpoint: string } } } };
      service: { pipelines: { traces: { receivers: string[] } } };
    };
    expect(collector.receivers.otlp.protocols.http.endpoint).toMatch(/:4318$/);
    expect(collector.service.pipelines.traces.receivers).toContain('otlp');
  });

  it('reads selectors out of PromQL as expected', () => {
    expect(
      selectorsOf(
        'histogram_quantile(0.95, sum by (le, agent) (rate(x_bucket{a="1", b=~"$b"}[5m])))',
      ),
    ).toEqual([{ metric: 'x_bucket', labels: ['a', 'b'] }]);
    expect(selectorsOf('up{job="baton"} == 0')).toEqual([{ metric: 'up', labels: ['job'] }]);
  });
});
