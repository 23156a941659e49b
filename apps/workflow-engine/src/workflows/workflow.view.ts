import type { WorkflowView } from '@baton/contracts';
import type { WorkflowVersionEntity } from './workflow.entity';

export function toWorkflowView(
  version: WorkflowVersionEntity,
  warnings?: WorkflowView['warnings'],
): WorkflowView {
  const definition = version.definition;
  return {
    name: version.name,
    version: version.version,
    description: definition.description ?? null,
    trigger: definition.trigger,
    input_schema: definition.inputSchema ?? null,
    steps: definition.steps.map((step) => step.name),
    created_at: version.createdAt.toISOString(),
    ...(warnings?.length ? { warnings } : {}),
  };
}
