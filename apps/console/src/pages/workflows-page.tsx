import { query } from '../api/client';
import { useLoad } from '../api/context';
import type { Page, WorkflowListItem } from '../api/types';
import { EmptyState, formatTime, PageSection } from '../components/common';
import { LoadedTable } from '../components/lists';
import { Link } from '../router';

export function WorkflowsPage() {
  const workflows = useLoad(
    (api, signal) =>
      api.get<Page<WorkflowListItem>>(`/v1/workflows${query({ limit: 200 })}`, signal),
    [],
  );
  return (
    <PageSection
      id="workflows"
      title="Workflows"
      actions={
        <Link to="/designer" className="button">
          New workflow
        </Link>
      }
    >
      <LoadedTable
        source={workflows}
        what="workflows"
        empty={
          <EmptyState title="No workflows yet">
            Open the <Link to="/designer">designer</Link> and drag steps onto the canvas, or{' '}
            <code>POST /v1/workflows</code> a YAML document.
          </EmptyState>
        }
        caption="Workflows of this workspace"
        columns={['Name', 'Active version', 'Latest version', 'Updated']}
        actions
        row={(workflow) => (
          <tr key={workflow.name}>
            <td>
              <Link to={`/workflows/${encodeURIComponent(workflow.name)}`}>{workflow.name}</Link>
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
    </PageSection>
  );
}
