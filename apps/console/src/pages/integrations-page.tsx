import { useState } from 'react';
import { useAction, useApi, useLoad } from '../api/context';
import type { ConnectionOperationsView, ConnectionView, Page } from '../api/types';
import { EmptyState, JsonView, PageSection, ProblemAlert } from '../components/common';
import { LinkButton, LoadedTable } from '../components/lists';

/** The workspace's connections: each one's connector and config, a live test, its operations. */
export function IntegrationsPage() {
  const connections = useLoad(
    (c, signal) => c.get<Page<ConnectionView>>('/v1/connections', signal),
    [],
  );
  const [selected, setSelected] = useState<string>();
  return (
    <PageSection id="integrations" title="Integrations">
      <LoadedTable
        source={connections}
        what="connections"
        empty={
          <EmptyState title="No connections">
            Connect a system with <code>POST /v1/connections</code> (HTTP, Postgres, Salesforce,
            ServiceNow…); see docs/connectors.md. Workflow steps then call it as an action.
          </EmptyState>
        }
        aria-label="Connections"
        columns={['Connection', 'Connector', 'Secrets']}
        row={(connection) => (
          <tr key={connection.name} aria-selected={connection.name === selected}>
            <td>
              <LinkButton onClick={() => setSelected(connection.name)}>
                {connection.name}
              </LinkButton>
            </td>
            <td>{connection.connector}</td>
            <td>{connection.has_secrets ? 'sealed' : 'none'}</td>
          </tr>
        )}
      />
      {selected ? (
        <ConnectionDetail
          key={selected}
          connection={connections.data?.items.find((c) => c.name === selected)}
        />
      ) : null}
    </PageSection>
  );
}

function ConnectionDetail({ connection }: { connection?: ConnectionView }) {
  const api = useApi();
  const name = connection?.name ?? '';
  const base = `/v1/connections/${encodeURIComponent(name)}`;
  const operations = useLoad(
    (c, signal) => c.get<ConnectionOperationsView>(`${base}/operations`, signal),
    [base],
  );
  const test = useAction();
  const [result, setResult] = useState<unknown>();
  if (!connection) return null;

  async function runTest() {
    setResult(undefined);
    await test.run(async () => setResult(await api.post(`${base}/test`, {})));
  }

  return (
    <section aria-label={`Connection ${name}`}>
      <h2>{name}</h2>
      <JsonView value={connection.config} label={`Configuration of ${name}`} />
      <button type="button" onClick={() => void runTest()} disabled={test.busy}>
        {test.busy ? 'Testing…' : 'Test connection'}
      </button>
      <ProblemAlert problem={test.problem} title="The test failed" />
      {result !== undefined ? (
        <div role="status" aria-label="Test result">
          <JsonView value={result} label={`Test result of ${name}`} />
        </div>
      ) : null}
      <h3>Operations</h3>
      <LoadedTable
        source={operations}
        empty={
          <EmptyState title="No operations">
            This connector is used as a whole (e.g. an inbound hook or a webhook target).
          </EmptyState>
        }
        aria-label={`Operations of ${name}`}
        columns={['Operation', 'Method', 'Path', 'Idempotent']}
        row={(op) => (
          <tr key={op.name}>
            <td>{op.name}</td>
            <td>{op.method ?? '—'}</td>
            <td>{op.path ? <code>{op.path}</code> : '—'}</td>
            <td>{op.idempotent}</td>
          </tr>
        )}
      />
    </section>
  );
}
