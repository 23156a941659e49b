import { query } from '../api/client';
import { useLoad } from '../api/context';
import type { Page, WorkflowListItem } from '../api/types';
import { EmptyState, formatTime } from '../components/common';
import { DataTable, LoadedList } from '../components/lists';
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
      <LoadedList
        source={workflows}
        what="workflows"
        empty={
          <EmptyState title="No workflows yet">
            Open the <Link to="/designer">designer</Link> and drag steps onto the canvas, or{' '}
            <code>POST /v1/workflows</code> a YAML document.
          </EmptyState>
        }
      >
        {(items) => (
          <DataTable
            caption="Workflows of this workspace"
            columns={['Name', 'Active version', 'Latest version', 'Updated']}
            actions
            items={items}
            row={(workflow) => (
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
            )}
          />
        )}
      </LoadedList>
    </section>
  );
}
