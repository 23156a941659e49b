import { useEffect, useState, type FormEvent } from 'react';
import { query } from '../api/client';
import { useApi } from '../api/context';
import { problemOf, type Problem } from '../api/problem';
import type { Page, RunView } from '../api/types';
import {
  EmptyState,
  formatTime,
  PageSection,
  SelectField,
  StatusBadge,
  TextField,
  useDraft,
} from '../components/common';
import { LoadedTable } from '../components/lists';
import { Link, useRouter } from '../router';

const STATUSES = ['', 'queued', 'running', 'paused', 'completed', 'failed', 'cancelled'];
const PAGE_SIZE = 50;

/** Runs of the workspace, newest first, filtered by workflow and status, a page at a time. */
export function RunsPage() {
  const api = useApi();
  const { route, navigate } = useRouter();
  const workflow = route.search.get('workflow') ?? '';
  const status = route.search.get('status') ?? '';
  const { draft, setDraft, bind } = useDraft({ workflow, status });
  // The pages loaded so far, as one: their runs and the cursor of the next.
  const [runs, setRuns] = useState<Page<RunView>>();
  const [problem, setProblem] = useState<Problem>();
  const [loading, setLoading] = useState(false);

  async function load(after: string | null, signal?: AbortSignal) {
    setLoading(true);
    try {
      const page = await api.get<Page<RunView>>(
        `/v1/runs${query({ workflow, status, limit: PAGE_SIZE, cursor: after })}`,
        signal,
      );
      setRuns((previous) =>
        after ? { ...page, items: [...(previous?.items ?? []), ...page.items] } : page,
      );
      setProblem(undefined);
    } catch (error) {
      if (!signal?.aborted) setProblem(problemOf(error));
    } finally {
      if (!signal?.aborted) setLoading(false);
    }
  }

  useEffect(() => {
    const abort = new AbortController();
    setDraft({ workflow, status });
    void load(null, abort.signal);
    return () => abort.abort();
    // Reload when the filter in the address changes.
  }, [api, workflow, status]);

  function applyFilter(event: FormEvent) {
    event.preventDefault();
    navigate(`/runs${query({ workflow: draft.workflow.trim(), status: draft.status })}`);
  }

  return (
    <PageSection id="runs" title="Runs">
      <form className="filters" onSubmit={applyFilter} role="search" aria-label="Filter runs">
        <TextField
          id="filter-workflow"
          label="Workflow"
          {...bind('workflow')}
          placeholder="any"
          maxLength={200}
        />
        <SelectField
          id="filter-status"
          label="Status"
          {...bind('status')}
          options={STATUSES}
          optionLabel={(s) => s || 'any'}
        />
        <button type="submit">Filter</button>
      </form>
      <LoadedTable
        source={{ data: runs, problem, loading }}
        what="runs"
        empty={
          <EmptyState title={workflow || status ? 'No run matches this filter' : 'No runs yet'}>
            Start a run from a <Link to="/workflows">workflow</Link>, or with{' '}
            <code>POST /v1/workflows/&#123;name&#125;/runs</code>.
          </EmptyState>
        }
        data-testid="runs-table"
        columns={['Run', 'Workflow', 'Status', 'Started', 'Finished']}
        row={(run) => (
          <tr key={run.id}>
            <td>
              <Link to={`/runs/${run.id}`}>
                <code>{run.id.slice(0, 8)}</code>
              </Link>
            </td>
            <td>
              {run.workflow} <span className="muted">v{run.workflow_version}</span>
            </td>
            <td>
              <StatusBadge status={run.status} />
            </td>
            <td>{formatTime(run.created_at)}</td>
            <td>{formatTime(run.finished_at)}</td>
          </tr>
        )}
      />
      {runs?.next_cursor ? (
        <button
          type="button"
          className="ghost"
          disabled={loading}
          onClick={() => void load(runs.next_cursor ?? null)}
        >
          {loading ? 'Loading…' : 'Load more'}
        </button>
      ) : null}
    </PageSection>
  );
}
