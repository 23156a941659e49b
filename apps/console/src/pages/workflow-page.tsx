import { useMemo, useState, type FormEvent } from 'react';
import { query } from '../api/client';
import { useAction, useApi, useLoad } from '../api/context';
import type { Page, RunView, WorkflowVersion, WorkflowVersionPage } from '../api/types';
import {
  EmptyState,
  formatTime,
  Loading,
  PageSection,
  ProblemAlert,
  StatusBadge,
  TextAreaField,
} from '../components/common';
import { DataTable, LinkButton } from '../components/lists';
import { Link, useRouter } from '../router';
import { inputFields, inputFromForm, inputFromJson, inputSchemaOf } from '../workflows/run-input';

/** One workflow: its versions (activate = rollback), a version's source, diff, the run form, last runs. */
export function WorkflowPage({ name }: { name: string }) {
  const api = useApi();
  const path = `/v1/workflows/${encodeURIComponent(name)}`;
  const versions = useLoad(
    (client, signal) => client.get<WorkflowVersionPage>(`${path}/versions?limit=50`, signal),
    [path],
  );
  const runs = useLoad(
    (client, signal) =>
      client.get<Page<RunView>>(`/v1/runs${query({ workflow: name, limit: 10 })}`, signal),
    [name],
  );
  const [selected, setSelected] = useState<number>();
  const [diff, setDiff] = useState<string>();
  // Activating and diffing share one place to say what went wrong.
  const action = useAction();
  const items = versions.data?.items ?? [];
  const active = items.find((v) => v.active) ?? items[0];
  const shownVersion = selected ?? active?.version;
  // The list has no sources: the shown version's document (and the active one's, for the run form).
  const shown = useLoad(
    (client, signal) =>
      shownVersion === undefined
        ? Promise.resolve(undefined)
        : client.get<WorkflowVersion>(`${path}/versions/${shownVersion}`, signal),
    [path, shownVersion],
  );
  const activeSource = useLoad(
    (client, signal) =>
      active === undefined
        ? Promise.resolve(undefined)
        : client.get<WorkflowVersion>(`${path}/versions/${active.version}`, signal),
    [path, active?.version],
  );

  async function activate(version: number) {
    await action.run(async () => {
      await api.post(`${path}/versions/${version}/activate`);
      versions.reload();
    });
  }

  async function showDiff(from: number, to: number) {
    await action.run(async () => {
      const result = await api.get<{ diff: string }>(`${path}/diff${query({ from, to })}`);
      setDiff(result.diff);
    });
  }

  return (
    <PageSection
      id="workflow"
      title={name}
      actions={
        <Link to={`/designer/${encodeURIComponent(name)}`} className="button">
          Open in designer
        </Link>
      }
    >
      <ProblemAlert problem={versions.problem ?? action.problem} />
      {versions.loading && !versions.data ? <Loading what="versions" /> : null}
      <div className="columns">
        <div>
          <h2>Versions</h2>
          <DataTable
            columns={['Version', 'Created']}
            actions
            items={items}
            row={(version) => (
              <tr key={version.version} aria-selected={version.version === shownVersion}>
                <td>
                  <LinkButton onClick={() => setSelected(version.version)}>
                    v{version.version}
                  </LinkButton>{' '}
                  {version.active ? <StatusBadge status="active" /> : null}
                </td>
                <td>{formatTime(version.created_at)}</td>
                <td className="actions">
                  {!version.active ? (
                    <button
                      type="button"
                      className="small"
                      onClick={() => activate(version.version)}
                    >
                      Activate
                    </button>
                  ) : null}
                  {active && version.version !== active.version ? (
                    <button
                      type="button"
                      className="small ghost"
                      onClick={() => showDiff(version.version, active.version)}
                    >
                      Diff with v{active.version}
                    </button>
                  ) : null}
                </td>
              </tr>
            )}
          />
          {diff !== undefined ? (
            <>
              <h3>Diff</h3>
              <pre className="json diff" tabIndex={0} aria-label="Diff between versions">
                {diff || 'No differences.'}
              </pre>
            </>
          ) : null}
          <ProblemAlert problem={shown.problem} />
          {shown.data ? (
            <>
              <h3>Source of v{shown.data.version}</h3>
              <pre
                className="json"
                tabIndex={0}
                aria-label={`YAML of version ${shown.data.version}`}
              >
                {shown.data.source}
              </pre>
            </>
          ) : null}
        </div>
        <div>
          {activeSource.data ? <RunForm name={name} source={activeSource.data.source} /> : null}
          <h2>Last runs</h2>
          <ProblemAlert problem={runs.problem} />
          {runs.data && runs.data.items.length === 0 ? (
            <EmptyState title="No runs yet">Start one with the form above.</EmptyState>
          ) : null}
          <ul className="plain">
            {runs.data?.items.map((run) => (
              <li key={run.id}>
                <Link to={`/runs/${run.id}`}>{run.id.slice(0, 8)}</Link>{' '}
                <StatusBadge status={run.status} />{' '}
                <span className="muted">{formatTime(run.created_at)}</span>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </PageSection>
  );
}

/** Starts a run: a field per input_schema property, or a JSON box when there is no schema. */
export function RunForm({ name, source }: { name: string; source: string }) {
  const api = useApi();
  const { navigate } = useRouter();
  const fields = useMemo(() => inputFields(inputSchemaOf(source)), [source]);
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  const [json, setJson] = useState('{}');
  const starting = useAction();

  async function start(event: FormEvent) {
    event.preventDefault();
    const { input, errors } = fields.length ? inputFromForm(fields, values) : inputFromJson(json);
    if (!input) {
      starting.setProblem({ status: 400, title: 'The input is not valid', errors });
      return;
    }
    await starting.run(async () => {
      const run = await api.post<RunView>(`/v1/workflows/${encodeURIComponent(name)}/runs`, {
        input,
      });
      navigate(`/runs/${run.id}`);
    });
  }

  return (
    <form onSubmit={start} className="card" aria-labelledby="run-form-title">
      <h2 id="run-form-title">Run {name}</h2>
      {fields.map((field) => (
        <div className="field" key={field.name}>
          <label htmlFor={`input-${field.name}`}>
            {field.name}
            {field.required ? ' (required)' : ''}
          </label>
          {field.kind === 'boolean' ? (
            <input
              id={`input-${field.name}`}
              type="checkbox"
              checked={values[field.name] === true}
              onChange={(e) => setValues({ ...values, [field.name]: e.target.checked })}
            />
          ) : field.kind === 'choice' ? (
            <select
              id={`input-${field.name}`}
              value={String(values[field.name] ?? '')}
              onChange={(e) => setValues({ ...values, [field.name]: e.target.value })}
            >
              <option value="">—</option>
              {field.choices?.map((choice) => (
                <option key={choice}>{choice}</option>
              ))}
            </select>
          ) : field.kind === 'json' ? (
            <textarea
              id={`input-${field.name}`}
              rows={3}
              value={String(values[field.name] ?? '')}
              onChange={(e) => setValues({ ...values, [field.name]: e.target.value })}
            />
          ) : (
            <input
              id={`input-${field.name}`}
              type={field.kind === 'number' ? 'number' : 'text'}
              value={String(values[field.name] ?? '')}
              onChange={(e) => setValues({ ...values, [field.name]: e.target.value })}
            />
          )}
          {field.description ? <div className="muted">{field.description}</div> : null}
        </div>
      ))}
      {fields.length === 0 ? (
        <TextAreaField
          id="run-input-json"
          label="Input (a JSON object)"
          rows={5}
          value={json}
          onChange={setJson}
        />
      ) : null}
      <ProblemAlert problem={starting.problem} />
      <button type="submit" disabled={starting.busy}>
        {starting.busy ? 'Starting…' : 'Start run'}
      </button>
    </form>
  );
}
