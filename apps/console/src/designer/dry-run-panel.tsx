import { useState, type FormEvent } from 'react';
import { useApi } from '../api/context';
import { problemOf, type Problem } from '../api/problem';
import type { WorkflowTestView } from '../api/types';
import { JsonView, ProblemAlert, StatusBadge, TextAreaField } from '../components/common';

/** Every step answered with an empty output: a start the user edits into what each step should say. */
export function defaultMocks(stepNames: string[]): string {
  return JSON.stringify(
    Object.fromEntries(stepNames.map((name) => [name, { output: {} }])),
    null,
    2,
  );
}

/**
 * A dry run of the YAML in the editor, saved or not (`POST /v1/workflows/{name}/test`
 * with `yaml`): every step answers from the mocks, no agent is called and no
 * run is stored. The result goes back to the designer, which shows each
 * step's outcome on the canvas.
 */
export function DryRunPanel({
  workflow,
  yaml,
  stepNames,
  onResult,
}: {
  workflow: string;
  /** The editor's text at the moment the dry run is started. */
  yaml: string;
  stepNames: string[];
  onResult: (result: WorkflowTestView | undefined) => void;
}) {
  const api = useApi();
  const [mocks, setMocks] = useState(() => defaultMocks(stepNames));
  const [input, setInput] = useState('{}');
  const [problem, setProblem] = useState<Problem>();
  const [result, setResult] = useState<WorkflowTestView>();
  const [busy, setBusy] = useState(false);

  async function run(event: FormEvent) {
    event.preventDefault();
    setProblem(undefined);
    let body: { mocks: unknown; input: unknown; yaml: string };
    try {
      body = { mocks: JSON.parse(mocks) as unknown, input: JSON.parse(input) as unknown, yaml };
    } catch (error) {
      setProblem({
        status: 400,
        title: 'Mocks and input must be JSON',
        detail: error instanceof Error ? error.message : String(error),
      });
      return;
    }
    setBusy(true);
    try {
      const answer = await api.post<WorkflowTestView>(
        `/v1/workflows/${encodeURIComponent(workflow)}/test`,
        body,
      );
      setResult(answer);
      onResult(answer);
    } catch (error) {
      setProblem(problemOf(error));
      onResult(undefined);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="dry-run" onSubmit={run} aria-labelledby="dry-run-title">
      <h2 id="dry-run-title">Dry run with mocked steps</h2>
      <p className="muted">
        Runs <strong>{workflow}</strong> as it is in the editor now, saved or not, in memory: each
        step answers from its mock, no agent is called and no run is stored.
      </p>
      <TextAreaField
        id="dry-run-mocks"
        label="Mocks (JSON, by step name)"
        rows={6}
        value={mocks}
        onChange={setMocks}
      />
      <TextAreaField
        id="dry-run-input"
        label="Run input (JSON)"
        rows={2}
        value={input}
        onChange={setInput}
      />
      <button type="submit" disabled={busy}>
        {busy ? 'Running…' : 'Run the dry run'}
      </button>
      <ProblemAlert problem={problem} />
      {result ? (
        <div role="status" aria-label="Dry run result">
          <p>
            Dry run of{' '}
            {result.version === null ? 'the text in the editor' : `version ${result.version}`}:{' '}
            <StatusBadge status={result.status} />
            {result.error ? ` ${result.error.type}: ${result.error.message}` : null}
          </p>
          <ul className="plain">
            {result.steps.map((step) => (
              <li key={step.path} data-dry-run-step={step.path}>
                <code>{step.path}</code> <StatusBadge status={step.status} />
                {step.mocked ? <span className="muted"> (mocked)</span> : null}
              </li>
            ))}
          </ul>
          <JsonView value={result.output} label="Dry run output" />
        </div>
      ) : null}
    </form>
  );
}
