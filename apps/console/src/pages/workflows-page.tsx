import { query } from '../api/client';
import { useLoad } from '../api/context';
import type { Page, WorkflowListItem } from '../api/types';
import { ActionsHeader, EmptyState, formatTime, Loading, ProblemAlert } from '../components/common';
import { Link } from '../router';

export function WorkflowsPage() {
  const workflows = useLoad(
    (api, signal) =>
      api.get<Page<WorkflowListItem>>(`/v1/workflows${query({ limit: 200 })}`, signal),
    [],
  );
  return (
    <section aria-labelledby="workflows-title">
      <div className="page-head">
        <h1 id="workflows-title">Workflows</h1>
        <Link to="/designer" className="button">
          New workflow
        </Link>
      </div>
      <ProblemAlert problem={workflows.problem} />
      {workflows.loading && !workflows.data ? <Loading what="workflows" /> : null}
      {workflows.data && workflows.data.items.length === 0 ? (
        <EmptyState title="No workflows yet">
          Open the <Link to="/designer">designer</Link> and drag steps onto the canvas, or{' '}
          <code>POST /v1/workflows</code> a YAML document.
        </EmptyState>
      ) : null}
      {workflows.data?.items.length ? (
        <table>
          <caption className="visually-hidden">Workflows of this workspace</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Active version</th>
              <th scope="col">Latest version</th>
              <th scope="col">Updated</th>
              <ActionsHeader />
            </tr>
          </thead>
          <tbody>
            {workflows.data.items.map((workflow) => (
              <tr key={workflow.name}>
                <td>
                  <Link to={`/workflows/${encodeURIComponent(workflow.name)}`}>
                    {workflow.name}
                  </Link>
                </td>
                <td>v{workflow.active_version}</td>
                <td>v{workflow.latest_version}</td>
                <td>{formatTime(workflow.updated_at)}</td>
                <td className="actions">
                  <Link to={`/designer/${encodeURIComponent(workflow.name)}`}>Edit</Link>{' '}
                  <Link to={`/runs?workflow=${encodeURIComponent(workflow.name)}`}>Runs</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
