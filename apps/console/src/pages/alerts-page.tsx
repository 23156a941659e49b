import { useState, type FormEvent } from 'react';
import { useAction, useApi, useLoad } from '../api/context';
import type { AlertHistoryEntry, AlertView, NotificationChannelView, Page } from '../api/types';
import {
  EmptyState,
  formatTime,
  PageSection,
  ProblemAlert,
  SelectField,
  StatusBadge,
  TextField,
  useDraft,
} from '../components/common';
import { LinkButton, LoadedList, LoadedTable } from '../components/lists';

const SEVERITIES = ['info', 'warning', 'error', 'critical'];

/** Alert rules with their state and history, a form for a new rule, and the notification channels. */
export function AlertsPage() {
  const api = useApi();
  const alerts = useLoad((c, signal) => c.get<Page<AlertView>>('/v1/alerts', signal), []);
  const channels = useLoad(
    (c, signal) => c.get<Page<NotificationChannelView>>('/v1/notification-channels', signal),
    [],
  );
  const [selected, setSelected] = useState<string>();
  const { draft, setDraft, bind } = useDraft({
    name: '',
    condition: '',
    channels: '',
    severity: 'warning',
  });
  const creating = useAction();

  async function create(event: FormEvent) {
    event.preventDefault();
    await creating.run(async () => {
      await api.post('/v1/alerts', {
        name: draft.name.trim(),
        condition: draft.condition.trim(),
        severity: draft.severity,
        notification_channels: draft.channels
          .split(',')
          .map((c) => c.trim())
          .filter(Boolean),
      });
      setDraft({ ...draft, name: '', condition: '' });
      alerts.reload();
    });
  }

  return (
    <PageSection id="alerts" title="Alerts">
      <form className="filters" onSubmit={create} aria-label="New alert rule">
        <TextField id="alert-name" label="Name" {...bind('name')} required />
        <TextField
          id="alert-condition"
          label="Condition"
          {...bind('condition')}
          placeholder="error_rate > 0.05"
          required
        />
        <TextField
          id="alert-channels"
          label="Channels (names or kinds, comma-separated)"
          {...bind('channels')}
          required
        />
        <SelectField
          id="alert-severity"
          label="Severity"
          {...bind('severity')}
          options={SEVERITIES}
        />
        <button type="submit">Create rule</button>
      </form>
      <ProblemAlert problem={creating.problem} />
      <LoadedTable
        source={alerts}
        what="alert rules"
        empty={
          <EmptyState title="No alert rules">
            Add a channel (below) and a rule above, e.g. <code>error_rate &gt; 0.05</code>.
          </EmptyState>
        }
        aria-label="Alert rules"
        columns={['Rule', 'State', 'Severity', 'Condition', 'Channels', 'Last evaluated']}
        row={(alert) => (
          <tr key={alert.name} aria-selected={alert.name === selected}>
            <td>
              <LinkButton onClick={() => setSelected(alert.name)}>{alert.name}</LinkButton>
            </td>
            <td>
              <StatusBadge status={alert.state} />
            </td>
            <td>{alert.severity}</td>
            <td>
              <code>{alert.condition}</code>
            </td>
            <td>{alert.notification_channels.join(', ')}</td>
            <td>{formatTime(alert.last_evaluated_at)}</td>
          </tr>
        )}
      />
      {selected ? <AlertHistory key={selected} name={selected} /> : null}

      <h2>Notification channels</h2>
      <LoadedTable
        source={channels}
        empty={
          <EmptyState title="No notification channels">
            Create one with <code>POST /v1/notification-channels</code> (email, Slack, webhook,
            PagerDuty); see docs/alerts.md.
          </EmptyState>
        }
        aria-label="Notification channels"
        columns={['Channel', 'Kind', 'Pending', 'Dead', 'Last error']}
        row={(channel) => (
          <tr key={channel.name}>
            <td>{channel.name}</td>
            <td>{channel.kind}</td>
            <td>{channel.pending}</td>
            <td>{channel.dead}</td>
            <td>{channel.last_error ?? '—'}</td>
          </tr>
        )}
      />
    </PageSection>
  );
}

function AlertHistory({ name }: { name: string }) {
  const history = useLoad(
    (c, signal) =>
      c.get<Page<AlertHistoryEntry>>(`/v1/alerts/${encodeURIComponent(name)}/history`, signal),
    [name],
  );
  return (
    <section aria-label={`History of ${name}`}>
      <h2>History of {name}</h2>
      <LoadedList
        source={history}
        what="history"
        empty={
          <EmptyState title="No transitions yet">
            The rule is evaluated every 30 seconds; each change of state is listed here.
          </EmptyState>
        }
      >
        {(items) => (
          <ol className="steps">
            {items.map((entry) => (
              <li key={entry.id}>
                {formatTime(entry.at)}: {entry.from} → <StatusBadge status={entry.to} />{' '}
                {entry.notifications.map((n) => `${n.channel}: ${n.status}`).join(', ')}
              </li>
            ))}
          </ol>
        )}
      </LoadedList>
    </section>
  );
}
