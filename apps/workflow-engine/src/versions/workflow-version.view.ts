import type { WorkflowVersionSummary, WorkflowVersionView } from '@baton/contracts';
import type { WorkflowVersionEntity } from '../workflows/workflow.entity';
import { toWorkflowView } from '../workflows/workflow.view';

export function toVersionView(
  version: WorkflowVersionEntity,
  active: boolean,
): WorkflowVersionView {
  return { ...toWorkflowView(version), active, source: version.source };
}

export function toVersionSummary(
  version: WorkflowVersionEntity,
  activeVersion: number,
): WorkflowVersionSummary {
  return {
    version: version.version,
    active: version.version === activeVersion,
    description: version.definition.description ?? null,
    trigger: version.definition.trigger,
    created_at: version.createdAt.toISOString(),
  };
}

/**
 * Documents sent as JSON are stored on one line; they are diffed pretty-printed
 * so that a change shows as the lines it touched.
 */
export function diffableSource(source: string): string {
  const trimmed = source.trimStart();
  if (!trimmed.startsWith('{')) return source;
  try {
    return `${JSON.stringify(JSON.parse(source), null, 2)}\n`;
  } catch {
    return source; // YAML flow style that is not JSON: diff it as written
  }
}
