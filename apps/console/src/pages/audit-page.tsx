import { useState, type FormEvent } from 'react';
import { query } from '../api/client';
import { useAction, useApi, useLoad } from '../api/context';
import type { AuditEntryView, AuditVerifyView } from '../api/types';
import { EmptyState, formatTime, PageSection, ProblemAlert, TextField } from '../components/common';
import { JsonDisclosure, LoadedTable, useOpenRow } from '../components/lists';

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
  const verifying = useAction();
  const details = useOpenRow();

  async function verify() {
    await verifying.run(async () =>
      setVerification(await api.get<AuditVerifyView>('/v1/audit/verify')),
    );
  }

  return (
    <PageSection id="audit" title="Audit">
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
      <ProblemAlert problem={verifying.problem} />
      {verification ? (
        <p role="status" className={verification.intact ? 'ok' : 'problem'}>
          {verification.intact
            ? `Intact: ${verification.count} records, head ${verification.head_hash.slice(0, 16)}…`
            : `Broken at record ${verification.broken?.seq}: ${verification.broken?.reason}`}
        </p>
      ) : null}
      <LoadedTable
        source={records}
        what="audit records"
        empty={
          <EmptyState title={action ? 'No record of this action' : 'No audit records yet'}>
            Every change made through the API is recorded here.
          </EmptyState>
        }
        columns={['#', 'When', 'Actor', 'Action', 'Resource', 'Outcome']}
        row={(record) => (
          <tr key={record.id}>
            <td>{record.seq}</td>
            <td>{formatTime(record.time)}</td>
            <td>{record.actor}</td>
            <td>
              <JsonDisclosure
                name={record.action}
                rows={details}
                id={record.id}
                value={record.details}
                label={`Details of ${record.action}`}
              />
            </td>
            <td>
              <code>{record.resource}</code>
            </td>
            <td>{record.outcome}</td>
          </tr>
        )}
      />
    </PageSection>
  );
}
