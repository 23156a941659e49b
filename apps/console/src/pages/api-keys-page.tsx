import { useState, type FormEvent } from 'react';
import { useApi, useLoad } from '../api/context';
import { problemOf, type Problem } from '../api/problem';
import type { ApiKeyPage, CreatedApiKey } from '../api/types';
import {
  ActionsHeader,
  EmptyState,
  formatTime,
  Loading,
  ProblemAlert,
  StatusBadge,
} from '../components/common';

const ROLES = ['viewer', 'operator', 'developer', 'admin', 'agent'] as const;

/** The workspace's API keys: issue one (its secret shown this once), list, revoke. */
export function ApiKeysPage() {
  const api = useApi();
  const keys = useLoad((client, signal) => client.get<ApiKeyPage>('/v1/api-keys', signal), []);
  const [name, setName] = useState('');
  const [role, setRole] = useState<(typeof ROLES)[number]>('viewer');
  const [created, setCreated] = useState<CreatedApiKey>();
  const [problem, setProblem] = useState<Problem>();

  async function create(event: FormEvent) {
    event.preventDefault();
    setProblem(undefined);
    try {
      setCreated(await api.post<CreatedApiKey>('/v1/api-keys', { name: name.trim(), role }));
      setName('');
      keys.reload();
    } catch (error) {
      setProblem(problemOf(error));
    }
  }

  async function revoke(id: string) {
    setProblem(undefined);
    try {
      await api.delete(`/v1/api-keys/${encodeURIComponent(id)}`);
      keys.reload();
    } catch (error) {
      setProblem(problemOf(error));
    }
  }

  return (
    <section aria-labelledby="keys-title">
      <h1 id="keys-title">API keys</h1>
      <form className="filters" onSubmit={create} aria-label="Create an API key">
        <label className="field">
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
        <label className="field">
          Role
          <select value={role} onChange={(e) => setRole(e.target.value as typeof role)}>
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <button type="submit">Create key</button>
      </form>
      <ProblemAlert problem={problem} />
      {created ? (
        <div className="notice" role="status">
          <strong>Key {created.name} created.</strong> Copy it now: it is shown this once and Baton
          keeps only its digest.
          <pre className="json" aria-label="New API key" tabIndex={0}>
            {created.key}
          </pre>
          <button type="button" className="ghost small" onClick={() => setCreated(undefined)}>
            I have copied it
          </button>
        </div>
      ) : null}
      <ProblemAlert problem={keys.problem} />
      {keys.loading && !keys.data ? <Loading what="API keys" /> : null}
      {keys.data && keys.data.items.length === 0 ? (
        <EmptyState title="No API keys">Create one above for a service or a colleague.</EmptyState>
      ) : null}
      {keys.data?.items.length ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Prefix</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <ActionsHeader />
            </tr>
          </thead>
          <tbody>
            {keys.data.items.map((key) => (
              <tr key={key.id} data-key-name={key.name}>
                <td>{key.name}</td>
                <td>
                  <code>{key.prefix}</code>
                </td>
                <td>{key.role}</td>
                <td>
                  <StatusBadge status={key.status} />
                </td>
                <td>{formatTime(key.created_at)}</td>
                <td>{formatTime(key.last_used_at)}</td>
                <td>
                  {key.status === 'active' ? (
                    <button
                      type="button"
                      className="danger small"
                      aria-label={`Revoke ${key.name}`}
                      onClick={() => void revoke(key.id)}
                    >
                      Revoke
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
