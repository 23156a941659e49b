import { useState } from 'react';
import { useApi, useLoad } from '../api/context';
import { problemOf, type Problem } from '../api/problem';
import type { ConnectionOperationsView, ConnectionView, Page } from '../api/types';
import { EmptyState, JsonView, Loading, ProblemAlert } from '../components/common';

/** The workspace's connections: each one's connector and config, a live test, its operations. */
export function IntegrationsPage() {
  const connections = useLoad(
    (c, signal) => c.get<Page<ConnectionView>>('/v1/connections', signal),
    [],
  );
  const [selected, setSelected] = useState<string>();
  return (
    <section aria-labelledby="integrations-title">
      <h1 id="integrations-title">Integrations</h1>
      <ProblemAlert problem={connections.problem} />
      {connections.loading && !connections.data ? <Loading what="connections" /> : null}
      {connections.data && connections.data.items.length === 0 ? (
        <EmptyState title="No connections">
          Connect a system with <code>POST /v1/connections</code> (HTTP, Postgres, Salesforce,
          ServiceNow…); see docs/connectors.md. Workflow steps then call it as an action.
        </EmptyState>
      ) : null}
      {connections.data?.items.length ? (
        <table aria-label="Connections">
          <thead>
            <tr>
              <th scope="col">Connection</th>
              <th scope="col">Connector</th>
              <th scope="col">Secrets</th>
            </tr>
          </thead>
          <tbody>
            {connections.data.items.map((connection) => (
              <tr key={connection.name} aria-selected={connection.name === selected}>
                <td>
                  <button
                    type="button"
                    className="link"
                    onClick={() => setSelected(connection.name)}
                  >
                    {connection.name}
                  </button>
                </td>
                <td>{connection.connector}</td>
                <td>{connection.has_secrets ? 'sealed' : 'none'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {selected ? (
        <ConnectionDetail
          key={selected}
          connection={connections.data?.items.find((c) => c.name === selected)}
        />
      ) : null}
    </section>
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
  const [test, setTest] = useState<{ result?: unknown; problem?: Problem; busy: boolean }>({
    busy: false,
  });
  if (!connection) return null;
  const ops = operations.data?.items ?? [];

  async function runTest() {
    setTest({ busy: true });
    try {
      setTest({ busy: false, result: await api.post(`${base}/test`, {}) });
    } catch (error) {
      setTest({ busy: false, problem: problemOf(error) });
    }
  }

  return (
    <section aria-label={`Connection ${name}`}>
      <h2>{name}</h2>
      <JsonView value={connection.config} label={`Configuration of ${name}`} />
      <button type="button" onClick={() => void runTest()} disabled={test.busy}>
        {test.busy ? 'Testing…' : 'Test connection'}
      </button>
      <ProblemAlert problem={test.problem} title="The test failed" />
      {test.result !== undefined ? (
        <div role="status" aria-label="Test result">
          <JsonView value={test.result} label={`Test result of ${name}`} />
        </div>
      ) : null}
      <h3>Operations</h3>
      <ProblemAlert problem={operations.problem} />
      {operations.data && ops.length === 0 ? (
        <EmptyState title="No operations">
          This connector is used as a whole (e.g. an inbound hook or a webhook target).
        </EmptyState>
      ) : null}
      {ops.length ? (
        <table aria-label={`Operations of ${name}`}>
          <thead>
            <tr>
              <th scope="col">Operation</th>
              <th scope="col">Method</th>
              <th scope="col">Path</th>
              <th scope="col">Idempotent</th>
            </tr>
          </thead>
          <tbody>
            {ops.map((op) => (
              <tr key={op.name}>
                <td>{op.name}</td>
                <td>{op.method ?? '—'}</td>
                <td>{op.path ? <code>{op.path}</code> : '—'}</td>
                <td>{op.idempotent}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
