import type { WorkflowDefinition } from '../model/workflow.types';
import type { SourceIndex } from './source-index';

/**
 * Where a definition came from, kept beside it rather than inside it so the
 * definition stays plain JSON. Lets validateWorkflow() report YAML positions
 * for a definition that parseWorkflowYaml() produced.
 */
export interface DefinitionMeta {
  /** `workflow` when the document had the `workflow:` wrapper, else ''. */
  readonly rootPath: string;
  readonly index?: SourceIndex;
}

const metas = new WeakMap<WorkflowDefinition, DefinitionMeta>();

export function rememberMeta(definition: WorkflowDefinition, meta: DefinitionMeta): void {
  metas.set(definition, meta);
}

export function metaOf(definition: WorkflowDefinition): DefinitionMeta {
  return metas.get(definition) ?? { rootPath: 'workflow' };
}
