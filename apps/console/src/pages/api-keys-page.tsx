import { useState, type FormEvent } from 'react';
import { useAction, useApi, useLoad } from '../api/context';
import type { ApiKeyPage, CreatedApiKey } from '../api/types';
import {
  EmptyState,
  formatTime,
  PageSection,
  ProblemAlert,
  StatusBadge,
} from '../components/common';
import { LoadedTable } from '../components/lists';

const ROLES = ['viewer', 'operator', 'developer', 'admin', 'agent'] as const;

/** The workspace's API keys: issue one (its secret shown this once), list, revoke. */
export function ApiKeysPage() {
  const api = useApi();
  const keys = useLoad((client, signal) => client.get<ApiKeyPage>('/v1/api-keys', signal), []);
  const [name, setName] = useState('');
  const [role, setRole] = useState<(typeof ROLES)[number]>('viewer');
  const [created, setCreated] = useState<CreatedApiKey>();
  // Creating and revoking share one place to say what went wrong.
  const action = useAction();

  async function create(event: FormEvent) {
    event.preventDefault();
    await action.run(async () => {
      setCreated(await api.post<CreatedApiKey>('/v1/api-keys', { name: name.trim(), role }));
      setName('');
      keys.reload();
    });
  }

  async function revoke(id: string) {
    await action.run(async () => {
      await api.delete(`/v1/api-keys/${encodeURIComponent(id)}`);
      keys.reload();
    });
  }

  return (
    <PageSection id="keys" title="API keys">
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
      <ProblemAlert problem={action.problem} />
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
      <LoadedTable
        source={keys}
        what="API keys"
        empty={
          <EmptyState title="No API keys">
            Create one above for a service or a colleague.
          </EmptyState>
        }
        columns={['Name', 'Prefix', 'Role', 'Status', 'Created', 'Last used']}
        actions
        row={(key) => (
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
        )}
      />
    </PageSection>
  );
}
