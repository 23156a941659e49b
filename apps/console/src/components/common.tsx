import {
  useState,
  type InputHTMLAttributes,
  type ReactNode,
  type TextareaHTMLAttributes,
} from 'react';
import type { Problem } from '../api/problem';

/** An error as the gateway explained it: title, detail and each offending field. */
export function ProblemAlert({ problem, title }: { problem?: Problem; title?: string }) {
  if (!problem) return null;
  return (
    <div className="problem" role="alert">
      <strong>{title ?? problem.title ?? 'Something went wrong'}</strong>
      {problem.status ? <span className="problem-status"> ({problem.status})</span> : null}
      {problem.detail ? <p>{problem.detail}</p> : null}
      {problem.errors?.length ? (
        <ul>
          {problem.errors.map((error, index) => (
            <li key={index}>
              <code>{error.field}</code>: {error.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/**
 * A page of the console: a region named by its heading (`{id}-title`), with
 * `actions` (links, buttons) beside the heading where the page has some.
 */
export function PageSection({
  id,
  title,
  actions,
  children,
}: {
  id: string;
  title: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
}) {
  const heading = <h1 id={`${id}-title`}>{title}</h1>;
  return (
    <section aria-labelledby={`${id}-title`}>
      {actions ? (
        <div className="page-head">
          {heading}
          {actions}
        </div>
      ) : (
        heading
      )}
      {children}
    </section>
  );
}

/** What an empty list means and what to do about it. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty" role="status">
      <strong>{title}</strong>
      {children ? <div>{children}</div> : null}
    </div>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`badge badge-${status.replace(/[^a-z_]/g, '')}`} data-status={status}>
      {status}
    </span>
  );
}

/** JSON, pretty-printed and bounded so one huge output does not freeze the page. */
export function JsonView({ value, label }: { value: unknown; label: string }) {
  const text = value === undefined ? '—' : JSON.stringify(value, null, 2);
  const shown = text.length > 20_000 ? `${text.slice(0, 20_000)}\n… (truncated)` : text;
  return (
    <pre className="json" aria-label={label} tabIndex={0}>
      {shown}
    </pre>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${ms} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange'>;

/** A label and the text input it names, for a form to lay out itself (the sign-in card does). */
export function LabelledInput({
  id,
  label,
  value,
  onChange,
  ...input
}: { id: string; label: string; value: string; onChange: (value: string) => void } & InputProps) {
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <input id={id} value={value} onChange={(e) => onChange(e.target.value)} {...input} />
    </>
  );
}

/**
 * A labelled text input, one row of a form: every form of the console writes
 * its fields this way, so the label always names its input for screen readers.
 */
export function TextField(props: Parameters<typeof LabelledInput>[0]) {
  return (
    <div className="field">
      <LabelledInput {...props} />
    </div>
  );
}

/**
 * What a form holds before it is submitted, one string per field; `bind(name)`
 * is the `value` and `onChange` of that field's `TextField` or `SelectField`.
 */
export function useDraft<D extends { [K in keyof D]: string }>(initial: D) {
  const [draft, setDraft] = useState(initial);
  const bind = (name: keyof D & string) => ({
    value: draft[name],
    onChange: (value: string) => setDraft((previous) => ({ ...previous, [name]: value })),
  });
  return { draft, setDraft, bind };
}

type TextAreaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'value' | 'onChange'>;

/** A labelled box for JSON or other text that is not prose: no spell check. */
export function TextAreaField({
  id,
  label,
  value,
  onChange,
  ...textarea
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
} & TextAreaProps) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        spellCheck={false}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        {...textarea}
      />
    </div>
  );
}

/** A labelled choice among fixed options; `optionLabel` names an option whose value is not shown as is. */
export function SelectField({
  id,
  label,
  value,
  onChange,
  options,
  optionLabel = (option) => option,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: readonly string[];
  optionLabel?: (option: string) => string;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map((option) => (
          <option key={option} value={option}>
            {optionLabel(option)}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The header of a table's last column, which holds each row's buttons: named for screen readers only. */
export function ActionsHeader() {
  return (
    <th scope="col">
      <span className="visually-hidden">Actions</span>
    </th>
  );
}
