import { useEffect, useState, type FormEvent } from 'react';
import { query } from '../api/client';
import { useAction, useApi, useLoad } from '../api/context';
import type { Page, ReplayView, StoredEvent } from '../api/types';
import {
  EmptyState,
  formatTime,
  PageSection,
  ProblemAlert,
  StatusBadge,
  TextField,
  useDraft,
} from '../components/common';
import { JsonDisclosure, LoadedTable, useOpenRow } from '../components/lists';

/** The event store: search by type, subject and time; replays with their progress. */
export function EventsPage() {
  return (
    <PageSection id="events" title="Events">
      <EventSearch />
      <Replays />
    </PageSection>
  );
}

interface EventFilter {
  type: string;
  subject: string;
  from: string;
  to: string;
}

const NO_FILTER: EventFilter = { type: '', subject: '', from: '', to: '' };

function isoOrEmpty(local: string): string {
  if (!local) return '';
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}

function EventSearch() {
  const { draft, bind } = useDraft<EventFilter>(NO_FILTER);
  const [filter, setFilter] = useState<EventFilter>(NO_FILTER);
  const details = useOpenRow();
  const events = useLoad(
    (api, signal) =>
      api.get<Page<StoredEvent>>(
        `/v1/events${query({
          type: filter.type,
          subject: filter.subject,
          from: isoOrEmpty(filter.from),
          to: isoOrEmpty(filter.to),
          limit: 50,
        })}`,
        signal,
      ),
    [filter],
  );
  const field = (name: keyof EventFilter, label: string, type = 'text') => (
    <TextField id={`event-${name}`} label={label} type={type} maxLength={500} {...bind(name)} />
  );
  return (
    <>
      <form
        className="filters"
        role="search"
        aria-label="Search events"
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          setFilter(draft);
        }}
      >
        {field('type', 'Type (e.g. workflow.*)')}
        {field('subject', 'Subject')}
        {field('from', 'From', 'datetime-local')}
        {field('to', 'To', 'datetime-local')}
        <button type="submit">Search</button>
      </form>
      <LoadedTable
        source={events}
        what="events"
        empty={
          <EmptyState title="No event matches">
            Events arrive from workflows, connectors and producers on{' '}
            <code>baton.events.ingress</code>.
          </EmptyState>
        }
        columns={['Time', 'Type', 'Subject', 'Source']}
        row={(event) => (
          <tr key={event.id}>
            <td>{formatTime(event.time)}</td>
            <td>
              <JsonDisclosure
                name={event.type}
                rows={details}
                id={event.id}
                value={event.data}
                label={`Data of ${event.id}`}
              />
            </td>
            <td>
              <code>{event.subject ?? '—'}</code>
            </td>
            <td>{event.source}</td>
          </tr>
        )}
      />
    </>
  );
}

/** Starts a replay (by types and subject, to the original targets, optionally a dry run) and follows each. */
function Replays() {
  const api = useApi();
  const [types, setTypes] = useState('');
  const [subject, setSubject] = useState('');
  const [dryRun, setDryRun] = useState(true);
  const starting = useAction();
  const replays = useLoad(
    (client, signal) => client.get<Page<ReplayView>>('/v1/replays?limit=20', signal),
    [],
  );
  const running = replays.data?.items.some((r) => r.status === 'running') ?? false;
  const { reload } = replays;

  // Progress: poll while a replay is still running.
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(reload, 1000);
    return () => clearInterval(timer);
  }, [running, reload]);

  async function start(event: FormEvent) {
    event.preventDefault();
    const list = types
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    await starting.run(async () => {
      await api.post('/v1/replays', {
        filter: {
          ...(list.length ? { types: list } : {}),
          ...(subject.trim() ? { subject: subject.trim() } : {}),
        },
        target: { original: true },
        dry_run: dryRun,
      });
      reload();
    });
  }

  return (
    <>
      <h2>Replays</h2>
      <form className="filters" onSubmit={start} aria-label="Start a replay">
        <TextField
          id="replay-types"
          label="Event types (comma-separated)"
          value={types}
          maxLength={2000}
          onChange={setTypes}
        />
        <TextField
          id="replay-subject"
          label="Subject"
          value={subject}
          maxLength={500}
          onChange={setSubject}
        />
        <div className="field checkbox">
          <input
            id="replay-dry-run"
            type="checkbox"
            checked={dryRun}
            onChange={(e) => setDryRun(e.target.checked)}
          />
          <label htmlFor="replay-dry-run">Dry run (count, deliver nothing)</label>
        </div>
        <button type="submit">Replay to original targets</button>
      </form>
      <ProblemAlert problem={starting.problem ?? replays.problem} />
      {replays.data && replays.data.items.length === 0 ? (
        <EmptyState title="No replays yet">
          A replay re-sends stored events to subscriptions, routes or a topic.
        </EmptyState>
      ) : null}
      <ul className="plain replays">
        {replays.data?.items.map((replay) => (
          <li
            key={replay.id}
            className="replay"
            data-replay={replay.id}
            data-status={replay.status}
          >
            <div>
              <code>{replay.id.slice(0, 8)}</code> <StatusBadge status={replay.status} />{' '}
              {replay.dry_run ? <span className="muted">dry run</span> : null}{' '}
              <span className="muted">
                {(replay.filter.types ?? ['all types']).join(', ')}
                {replay.filter.subject ? ` · ${replay.filter.subject}` : ''} ·{' '}
                {formatTime(replay.created_at)}
              </span>
            </div>
            <label className="progress-label">
              <span className="replay-count">
                {replay.processed} / {replay.total ?? '?'} events
              </span>
              <progress
                max={replay.total ?? 1}
                value={replay.total === null ? undefined : replay.processed}
              />
            </label>
            {replay.error ? (
              <ProblemAlert problem={{ status: 0, title: 'Replay failed', detail: replay.error }} />
            ) : null}
          </li>
        ))}
      </ul>
    </>
  );
}
