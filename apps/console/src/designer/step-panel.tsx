import type { Document } from 'yaml';
import { KIND_LABELS } from './palette';
import { stepField, type FieldPath, type StepSummary } from './workflow-document';

interface FieldSpec {
  field: FieldPath;
  label: string;
  hint?: string;
  numeric?: boolean;
  multiline?: boolean;
}

const COMMON: FieldSpec[] = [
  { field: 'timeout', label: 'Timeout', hint: 'e.g. 5s, 2m' },
  { field: ['retry', 'max_attempts'], label: 'Retry: max attempts', numeric: true },
  { field: ['retry', 'backoff'], label: 'Retry: backoff', hint: 'fixed, exponential' },
  { field: 'on_error', label: 'On error go to', hint: 'a step name' },
  { field: 'when', label: 'Run only when', hint: '${expression}' },
];

function fieldsFor(step: StepSummary): FieldSpec[] {
  const input: FieldSpec = {
    field: 'input',
    label: 'Input template',
    hint: '${earlier-step.output}',
    multiline: true,
  };
  switch (step.kind) {
    case 'agent':
      return [
        { field: 'agent', label: 'Agent', hint: 'a registered agent or ${expression}' },
        input,
        ...COMMON,
      ];
    case 'action':
      return [
        { field: 'action', label: 'Action', hint: 'connection.operation or send-message' },
        { field: 'connection', label: 'Connection' },
        input,
        ...COMMON,
      ];
    case 'workflow':
      return [{ field: 'workflow', label: 'Workflow' }, input, ...COMMON];
    case 'wait_for_event':
      return [
        { field: ['wait_for_event', 'type'], label: 'Event type' },
        { field: ['wait_for_event', 'correlation'], label: 'Correlation', hint: '${expression}' },
        { field: ['wait_for_event', 'timeout'], label: 'Wait at most' },
        ...COMMON.filter((spec) => spec.field !== 'timeout'),
      ];
    case 'foreach':
      return [
        { field: ['foreach', 'items'], label: 'Items', hint: '${input.items}' },
        { field: ['foreach', 'as'], label: 'Loop variable' },
        { field: ['foreach', 'concurrency'], label: 'Concurrency', numeric: true },
        ...COMMON,
      ];
    case 'parallel':
      return [{ field: ['parallel', 'join'], label: 'Join', hint: 'all or any' }, ...COMMON];
    default:
      return COMMON;
  }
}

/**
 * The selected step's fields. Each edit goes straight into the YAML document,
 * so the text beside the canvas changes as you type. Completion for input
 * templates lists the earlier steps' outputs.
 */
export function StepPanel({
  doc,
  step,
  earlierSteps,
  onChange,
  onRemove,
  onMove,
}: {
  doc: Document;
  step: StepSummary;
  earlierSteps: string[];
  onChange: (field: FieldPath, value: string | number) => void;
  onRemove: () => void;
  onMove?: (delta: -1 | 1) => void;
}) {
  const id = (field: FieldPath) => `step-${[field].flat().join('-')}`;
  return (
    <form
      className="step-panel"
      aria-label={`Step ${step.name}`}
      onSubmit={(e) => e.preventDefault()}
    >
      <h2>
        {step.kind === 'unknown' ? 'Step' : KIND_LABELS[step.kind].label}: {step.name}
      </h2>
      <div className="field">
        <label htmlFor="step-name">Name</label>
        <input
          id="step-name"
          value={stepField(doc, step.path, 'name')}
          maxLength={100}
          onChange={(e) => onChange('name', e.target.value)}
        />
      </div>
      {fieldsFor(step).map((spec) => {
        const value = stepField(doc, step.path, spec.field);
        const common = {
          id: id(spec.field),
          value,
          placeholder: spec.hint,
          spellCheck: false,
          maxLength: 10_000,
        };
        return (
          <div className="field" key={id(spec.field)}>
            <label htmlFor={id(spec.field)}>{spec.label}</label>
            {spec.multiline ? (
              <textarea
                {...common}
                rows={2}
                onChange={(e) => onChange(spec.field, e.target.value)}
              />
            ) : (
              <input
                {...common}
                inputMode={spec.numeric ? 'numeric' : undefined}
                onChange={(e) => {
                  const text = e.target.value;
                  onChange(spec.field, spec.numeric && /^\d+$/.test(text) ? Number(text) : text);
                }}
              />
            )}
          </div>
        );
      })}
      {earlierSteps.length ? (
        <div className="completions" aria-label="Outputs of earlier steps">
          <span className="muted">Insert into input:</span>{' '}
          {earlierSteps.map((name) => (
            <button
              key={name}
              type="button"
              className="chip"
              onClick={() => onChange('input', `\${${name}.output}`)}
            >
              {`\${${name}.output}`}
            </button>
          ))}
        </div>
      ) : null}
      <div className="actions">
        {onMove ? (
          <>
            <button type="button" className="small ghost" onClick={() => onMove(-1)}>
              Move up
            </button>
            <button type="button" className="small ghost" onClick={() => onMove(1)}>
              Move down
            </button>
          </>
        ) : null}
        <button type="button" className="small danger" onClick={onRemove}>
          Remove step
        </button>
      </div>
    </form>
  );
}
