import canonicalize from 'canonicalize';
import { loadYaml } from '../source/source-index';

/**
 * One text form of a workflow document's data, the same for every way of
 * writing it: YAML or JSON, comments, layout, key order, anchors, and the
 * optional `workflow:` wrapper do not change it; any change of a value does.
 * Undefined for text the DSL would not load. Two documents are identical when
 * their identities are equal (`POST /v1/workflows` then stores no new version).
 */
export function documentIdentity(source: string): string | undefined {
  const loaded = loadYaml(source); // bounded as the parser is: JSON text is YAML too
  if (loaded.value === undefined || loaded.problems.some((p) => p.severity === 'error')) {
    return undefined;
  }
  return canonicalize(unwrapWorkflow(loaded.value));
}

function unwrapWorkflow(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const inner = (value as Record<string, unknown>).workflow;
    if (inner !== null && typeof inner === 'object' && !Array.isArray(inner)) return inner;
  }
  return value;
}
