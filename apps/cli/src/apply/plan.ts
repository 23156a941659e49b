import { createTwoFilesPatch } from 'diff';
import { isDeepStrictEqual } from 'node:util';
import YAML from 'yaml';
import type { ManifestKind } from './manifests';

export type Action = 'create' | 'update' | 'unchanged';

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

/** What applying one document does, decided before anything is sent. */
export interface Plan {
  kind: ManifestKind;
  name: string;
  action: Action;
  /** Fields that change (agents, connections). */
  changes: FieldChange[];
  /** A unified diff of the workflow document (workflows). */
  diff?: string;
  /** Said beside the plan line, e.g. that secrets are not compared. */
  note?: string;
}

/**
 * An agent: created when absent; else the fields the file sets that differ
 * from its current spec (fields the file leaves out are left as they are).
 */
export function planAgent(
  name: string,
  desired: Record<string, unknown>,
  currentSpec: Record<string, unknown> | undefined,
): Plan {
  if (!currentSpec) return { kind: 'agent', name, action: 'create', changes: [] };
  const changes = changedFields(desired, currentSpec, ['name']);
  return { kind: 'agent', name, action: changes.length ? 'update' : 'unchanged', changes };
}

/**
 * A connection: created when absent; else its config. Secrets are write-only
 * (the API never shows them), so they are sent on create and compared never.
 */
export function planConnection(
  name: string,
  desired: Record<string, unknown>,
  current: { connector: string; config: Record<string, unknown> } | undefined,
): Plan {
  const note = desired.secrets ? 'secrets are sent on create only' : undefined;
  if (!current) return { kind: 'connection', name, action: 'create', changes: [] };
  const changes = changedFields(
    { connector: desired.connector, config: desired.config },
    current,
    [],
  );
  return {
    kind: 'connection',
    name,
    action: changes.length ? 'update' : 'unchanged',
    changes,
    ...(note ? { note } : {}),
  };
}

/**
 * A workflow: a new version unless its document is identical to the active
 * version's (the same data, however written: the server decides the same way).
 */
export function planWorkflow(name: string, text: string, activeSource: string | undefined): Plan {
  if (activeSource === undefined) {
    return { kind: 'workflow', name, action: 'create', changes: [] };
  }
  if (isDeepStrictEqual(documentData(text), documentData(activeSource))) {
    return { kind: 'workflow', name, action: 'unchanged', changes: [] };
  }
  const diff = createTwoFilesPatch(
    `${name} (active)`,
    `${name} (file)`,
    withNewline(activeSource),
    withNewline(text),
    undefined,
    undefined,
    { context: 2 },
  )
    .split('\n')
    .filter((line) => !line.startsWith('====='))
    .join('\n')
    .trimEnd();
  return { kind: 'workflow', name, action: 'update', changes: [], diff };
}

/** The plan as people read it: `+ agent/triage`, `~ agent/triage: max_instances 3 → 5`, `= ...`. */
export function describePlan(plan: Plan): string[] {
  const id = `${plan.kind}/${plan.name}`;
  const note = plan.note ? ` (${plan.note})` : '';
  if (plan.action === 'create') return [`+ ${id} (create)${note}`];
  if (plan.action === 'unchanged') return [`= ${id} (unchanged)${note}`];
  const lines = [`~ ${id} (update)${note}`];
  for (const change of plan.changes) {
    lines.push(`    ${change.field}: ${show(change.from)} → ${show(change.to)}`);
  }
  if (plan.diff) lines.push(...plan.diff.split('\n').map((line) => `    ${line}`));
  return lines;
}

function changedFields(
  desired: Record<string, unknown>,
  current: Record<string, unknown>,
  ignore: string[],
): FieldChange[] {
  return Object.keys(desired)
    .filter((field) => !ignore.includes(field) && desired[field] !== undefined)
    .filter((field) => !isDeepStrictEqual(normal(desired[field]), normal(current[field])))
    .map((field) => ({ field, from: current[field], to: desired[field] }));
}

/** JSON's view of a value: what the API stores and answers. */
function normal(value: unknown): unknown {
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);
}

function documentData(text: string): unknown {
  try {
    const data = YAML.parse(text, { maxAliasCount: 100 }) as unknown;
    if (data !== null && typeof data === 'object' && 'workflow' in data) {
      return normal((data as { workflow: unknown }).workflow);
    }
    return normal(data);
  } catch {
    return text; // unreadable: compared as text
  }
}

function show(value: unknown): string {
  if (value === undefined) return '(unset)';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
