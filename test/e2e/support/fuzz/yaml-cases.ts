import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, visit, type Node } from 'yaml';
import { hostileJson, hostileString } from './hostile-values';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/** The workflows users start from: examples/workflows and the YAML blocks of the README and docs/. */
export function exampleWorkflows(): string[] {
  const dir = path.join(ROOT, 'examples', 'workflows');
  const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
  const fromFiles = files.map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
  const docs = fs
    .readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => path.join(ROOT, 'docs', f));
  const fromDocs = [path.join(ROOT, 'README.md'), ...docs].flatMap((file) =>
    [...fs.readFileSync(file, 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)]
      .map((m) => m[1])
      .filter((text) => /^workflow:/m.test(text)),
  );
  return [...fromFiles, ...fromDocs];
}

type Edit =
  | { kind: 'scalar'; pick: number; value: unknown }
  | { kind: 'delete'; pick: number }
  | { kind: 'tag'; pick: number; tag: string }
  | { kind: 'duplicate-line'; pick: number }
  | { kind: 'truncate'; pick: number };

const TAGS = [
  '!!js/function',
  '!!js/undefined',
  '!!js/regexp',
  '!!binary',
  '!!timestamp',
  '!!set',
  '!!omap',
  '!!float',
  '!!int',
  '!!str',
  '!!map',
  '!custom',
  '!<tag:yaml.org,2002:python/object>',
];

const edit: fc.Arbitrary<Edit> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('scalar' as const),
      pick: fc.nat(),
      value: fc.oneof(hostileString, hostileJson),
    }),
    weight: 6,
  },
  { arbitrary: fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('tag' as const),
      pick: fc.nat(),
      tag: fc.constantFrom(...TAGS),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('duplicate-line' as const), pick: fc.nat() }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant('truncate' as const), pick: fc.nat() }), weight: 1 },
);

/** An example workflow with one to four things changed: a value, a key gone, a tag, a duplicate key, a cut. */
export function mutatedWorkflow(examples: string[]): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...examples), fc.array(edit, { minLength: 1, maxLength: 4 }))
    .map(([text, edits]) => edits.reduce(applyEdit, text));
}

function applyEdit(text: string, change: Edit): string {
  if (change.kind === 'duplicate-line' || change.kind === 'truncate') {
    const lines = text.split('\n');
    const at = change.pick % lines.length;
    if (change.kind === 'truncate') return lines.slice(0, at).join('\n');
    lines.splice(at, 0, lines[at]);
    return lines.join('\n');
  }
  const document = parseDocument(text);
  if (document.errors.length > 0) return text;
  const nodes: Node[] = [];
  visit(document, {
    Scalar: (_key, node) => void nodes.push(node),
    Pair: (_key, pair) =>
      void (isMap(pair.value) || isSeq(pair.value) ? nodes.push(pair.value) : undefined),
  });
  if (nodes.length === 0) return text;
  const target = nodes[change.pick % nodes.length];
  if (change.kind === 'tag') {
    target.tag = change.tag;
  } else if (change.kind === 'scalar' && isScalar(target)) {
    target.value = change.value;
  } else {
    visit(document, {
      Pair: (_key, pair) =>
        pair.value === target || pair.key === target ? visit.REMOVE : undefined,
    });
  }
  try {
    return document.toString();
  } catch {
    return text;
  }
}

/** Nesting, moderate: past a hundred or so levels is the parser-limits work, not this suite's. */
const nested = fc
  .nat({ max: 60 })
  .map((depth) => `workflow:\n  name: deep\n  steps: ${'['.repeat(depth)}x${']'.repeat(depth)}\n`);

/** YAML built to trip a parser or the code after it, from scratch. */
export const randomYaml: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    '---',
    '~',
    '- a\n- b\n',
    'workflow:',
    'workflow: ~',
    'workflow: []',
    'workflow: 42',
    'workflow:\n  name: a\n  name: b\n  steps: []\n',
    'workflow: !!js/function "function(){return 1}"\n',
    'workflow:\n  name: !!binary aGVsbG8=\n  steps: [{name: a, agent: b}]\n',
    'workflow:\n  name: x\n  steps: !!set {a, b}\n',
    'workflow: &a\n  name: x\n  steps: [*a]\n',
    'workflow:\n  name: fuzz-flow\n  steps:\n    - &s {name: a, agent: fuzz-agent}\n    - *s\n',
    'workflow:\n  name: fuzz-flow\n  steps:\n    - name: a\n      agent: fuzz-agent\n      timeout: 99999999999999999999999h\n',
    'workflow:\n  name: fuzz-flow\n  steps:\n    - name: a\n      agent: fuzz-agent\n      retry: {max_attempts: 1e400, backoff: -0}\n',
    'workflow:\n  name: 0x7fffffffffffffff\n  steps: [{name: 1e999, agent: .nan}]\n',
    'workflow:\n  name: fuzz-flow\n  steps:\n    - name: a\n      agent: fuzz-agent\n---\nworkflow: {name: b}\n',
    'workflow:\n  name: fuzz-flow\n  trigger: {schedule: "* * * * * * *"}\n  steps: [{name: a, agent: fuzz-agent}]\n',
    'workflow:\n  name: fuzz-flow\n  steps:\n    - name: __proto__\n      agent: fuzz-agent\n    - name: constructor\n      agent: fuzz-agent\n',
    'workflow:\n  __proto__: {polluted: true}\n  name: fuzz-flow\n  steps: [{name: a, agent: fuzz-agent}]\n',
    '%YAML 1.1\n---\nworkflow: {name: fuzz-flow, steps: [{name: a, agent: fuzz-agent}]}\n',
    '? [a, b]\n: c\n',
    'workflow:\n  ? {name: x}\n  : y\n',
    '\t- tab\n',
    '\ufeffworkflow: {}\n',
  ),
  nested,
  fc.string({ unit: 'binary', maxLength: 300 }),
  hostileJson.map((value) => `workflow: ${JSON.stringify(value)}\n`),
  fc
    .tuple(
      hostileString.filter((s) => s.length < 500),
      fc.constantFrom(...TAGS),
    )
    .map(
      ([name, tag]) =>
        `workflow:\n  name: ${tag} ${JSON.stringify(name)}\n  steps: [{name: a, agent: fuzz-agent}]\n`,
    ),
);

/** What the YAML routes get: mostly mutated examples, some scratch documents. */
export function workflowYaml(examples: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: mutatedWorkflow(examples), weight: 3 },
    { arbitrary: randomYaml, weight: 2 },
  );
}
