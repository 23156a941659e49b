import type { DragEvent } from 'react';
import type { StepKind } from './workflow-document';

export const STEP_MIME = 'application/x-baton-step';

export const KIND_LABELS: Record<StepKind, { label: string; hint: string }> = {
  agent: { label: 'Agent step', hint: 'a task for a registered agent' },
  action: { label: 'Action', hint: 'a connector operation, e.g. send-message' },
  switch: { label: 'Switch', hint: 'choose a branch by condition' },
  parallel: { label: 'Parallel', hint: 'run branches at once' },
  foreach: { label: 'For each', hint: 'run steps for every item' },
  workflow: { label: 'Sub-workflow', hint: 'start another workflow' },
  wait_for_event: { label: 'Wait for event', hint: 'pause until an event arrives' },
};

/**
 * Step kinds to drag onto the canvas. Each is also a button: Enter or a click
 * appends the step, so the designer works without a mouse.
 */
export function Palette({ onAdd }: { onAdd: (kind: StepKind) => void }) {
  const start = (kind: StepKind) => (event: DragEvent) => {
    event.dataTransfer.setData(STEP_MIME, kind);
    event.dataTransfer.effectAllowed = 'copy';
  };
  return (
    <div className="palette" aria-label="Step palette">
      <h2>Steps</h2>
      <p className="muted">Drag onto the canvas, or press Enter to append.</p>
      <ul>
        {(Object.keys(KIND_LABELS) as StepKind[]).map((kind) => (
          <li key={kind}>
            <button
              type="button"
              draggable
              data-palette={kind}
              className={`palette-item kind-${kind}`}
              onDragStart={start(kind)}
              onClick={() => onAdd(kind)}
              title={KIND_LABELS[kind].hint}
            >
              {KIND_LABELS[kind].label}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
