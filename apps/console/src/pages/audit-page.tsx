import { useState, type FormEvent } from 'react';
import { query } from '../api/client';
import { useApi, useLoad } from '../api/context';
import { problemOf, type Problem } from '../api/problem';
import type { AuditEntryView, AuditVerifyView } from '../api/types';
import {
  EmptyState,
  formatTime,
  JsonView,
  Loading,
  ProblemAlert,
  TextField,
} from '../components/common';

/** The workspace's audit trail, filtered by action, and a check of its hash chain. */
export function AuditPage() {
  const api = useApi();
  const [draft, setDraft] = useState('');
  const [action, setAction] = useState('');
  const records = useLoad(
    (client, signal) =>
      client.get<{ items: AuditEntryView[] }>(`/v1/audit${query({ action, limit: 100 })}`, signal),
    [action],
  );
  const [verification, setVerification] = useState<AuditVerifyView>();
  const [problem, setProblem] = useState<Problem>();
  const [open, setOpen] = useState<string>();

  async function verify() {
    setProblem(undefined);
    try {
      setVerification(await api.get<AuditVerifyView>('/v1/audit/verify'));
    } catch (error) {
      setProblem(problemOf(error));
    }
  }

  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit</h1>
      <form
        className="filters"
        role="search"
        aria-label="Filter audit records"
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          setAction(draft.trim());
        }}
      >
        <TextField
          id="audit-action"
          label="Action"
          value={draft}
          onChange={setDraft}
          placeholder="any, e.g. run.cancel"
        />
        <button type="submit">Filter</button>
        <button type="button" className="ghost" onClick={() => void verify()}>
          Verify the chain
        </button>
      </form>
      <ProblemAlert problem={problem} />
      {verification ? (
        <p role="status" className={verification.intact ? 'ok' : 'problem'}>
          {verification.intact
            ? `Intact: ${verification.count} records, head ${verification.head_hash.slice(0, 16)}…`
            : `Broken at record ${verification.broken?.seq}: ${verification.broken?.reason}`}
        </p>
      ) : null}
      <ProblemAlert problem={records.problem} />
      {records.loading && !records.data ? <Loading what="audit records" /> : null}
      {records.data && records.data.items.length === 0 ? (
        <EmptyState title={action ? 'No record of this action' : 'No audit records yet'}>
          Every change made through the API is recorded here.
        </EmptyState>
      ) : null}
      {records.data?.items.length ? (
        <table>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">When</th>
              <th scope="col">Actor</th>
              <th scope="col">Action</th>
              <th scope="col">Resource</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {records.data.items.map((record) => (
              <tr key={record.id}>
                <td>{record.seq}</td>
                <td>{formatTime(record.time)}</td>
                <td>{record.actor}</td>
                <td>
                  <button
                    type="button"
                    className="link"
                    aria-expanded={open === record.id}
                    onClick={() => setOpen(open === record.id ? undefined : record.id)}
                  >
                    {record.action}
                  </button>
                  {open === record.id ? (
                    <JsonView value={record.details} label={`Details of ${record.action}`} />
                  ) : null}
                </td>
                <td>
                  <code>{record.resource}</code>
                </td>
                <td>{record.outcome}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
