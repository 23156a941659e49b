import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { KIND_LABELS } from './palette';
import type { StepKind } from './workflow-document';

export type StepNodeData = {
  name: string;
  kind: StepKind | 'unknown' | 'start';
  target: string;
  invalid: boolean;
  /** The step's status in the last dry run, when there was one. */
  dryRun?: string;
};
export type StepNodeType = Node<StepNodeData, 'step'>;

/** A step on the canvas: its kind, name and what it calls; red when validation names it. */
export function StepNode({ data, selected }: NodeProps<StepNodeType>) {
  const kindLabel =
    data.kind === 'start'
      ? 'Start'
      : data.kind === 'unknown'
        ? 'Step'
        : KIND_LABELS[data.kind].label;
  return (
    <div
      className={`step-node kind-${data.kind}${data.invalid ? ' invalid' : ''}${selected ? ' selected' : ''}`}
      data-step-name={data.name}
      data-dry-run={data.dryRun}
    >
      {data.kind !== 'start' ? (
        <Handle type="target" position={Position.Top} isConnectable={false} />
      ) : null}
      <div className="step-kind">{kindLabel}</div>
      <div className="step-title">{data.kind === 'start' ? 'run input' : data.name}</div>
      {data.target && data.kind !== 'start' ? (
        <div className="step-target">{data.target}</div>
      ) : null}
      {data.dryRun ? (
        <div className={`step-dry-run badge badge-${data.dryRun.replace(/[^a-z_]/g, '')}`}>
          dry run: {data.dryRun}
        </div>
      ) : null}
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  );
}
