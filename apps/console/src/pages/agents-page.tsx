import { useState } from 'react';
import { query } from '../api/client';
import { useLoad } from '../api/context';
import type { AgentInstance, AgentStats, AgentView, Page } from '../api/types';
import {
  EmptyState,
  formatDuration,
  formatTime,
  PageSection,
  ProblemAlert,
  StatusBadge,
} from '../components/common';
import { LinkButton, LoadedTable } from '../components/lists';

/** The fleet: every agent with its runtime, scale and health; one agent's instances and stats. */
export function AgentsPage() {
  const agents = useLoad(
    (api, signal) => api.get<Page<AgentView>>(`/v1/agents${query({ limit: 200 })}`, signal),
    [],
  );
  const [selected, setSelected] = useState<string>();
  return (
    <PageSection id="agents" title="Agents">
      <LoadedTable
        source={agents}
        what="agents"
        empty={
          <EmptyState title="No agents registered">
            Register one with <code>POST /v1/agents</code> or the SDK&apos;s{' '}
            <code>registerAgent</code>, then serve it with an <code>AgentWorker</code>.
          </EmptyState>
        }
        columns={['Agent', 'Type', 'Runtime', 'Status', 'Instances (min–max)', 'Capabilities']}
        row={(agent) => (
          <tr key={agent.name} aria-selected={agent.name === selected}>
            <td>
              <LinkButton onClick={() => setSelected(agent.name)}>{agent.name}</LinkButton>{' '}
              <span className="muted">v{agent.version}</span>
            </td>
            <td>{agent.type}</td>
            <td>{agent.runtime}</td>
            <td>
              <StatusBadge status={agent.status} />
            </td>
            <td>
              {agent.min_instances}–{agent.max_instances}
            </td>
            <td>{agent.capabilities.join(', ') || '—'}</td>
          </tr>
        )}
      />
      {selected ? <AgentDetail key={selected} name={selected} /> : null}
    </PageSection>
  );
}

function AgentDetail({ name }: { name: string }) {
  const base = `/v1/agents/${encodeURIComponent(name)}`;
  const stats = useLoad((api, signal) => api.get<AgentStats>(`${base}/stats`, signal), [base]);
  const instances = useLoad(
    (api, signal) => api.get<{ items: AgentInstance[] }>(`${base}/instances`, signal),
    [base],
  );
  const s = stats.data;
  return (
    <div className="card" aria-labelledby="agent-detail-title">
      <h2 id="agent-detail-title">{name}</h2>
      <ProblemAlert problem={stats.problem ?? instances.problem} />
      {s ? (
        <dl className="stats">
          <dt>Tasks ({s.window_seconds} s)</dt>
          <dd>{s.tasks}</dd>
          <dt>Success rate</dt>
          <dd>{s.tasks ? `${(((s.completed ?? 0) / s.tasks) * 100).toFixed(1)} %` : '—'}</dd>
          <dt>Error rate</dt>
          <dd>{(s.error_rate * 100).toFixed(1)} %</dd>
          <dt>p50 / p95</dt>
          <dd>
            {formatDuration(s.response_ms.p50)} / {formatDuration(s.response_ms.p95)}
          </dd>
          <dt>In flight</dt>
          <dd>{s.in_flight}</dd>
          <dt>Circuit</dt>
          <dd>{s.circuit.state}</dd>
        </dl>
      ) : null}
      <h3>Instances</h3>
      {/* Its problem is shown above, with the stats'. */}
      <LoadedTable
        source={{ data: instances.data }}
        empty={
          <EmptyState title="No instance is serving this agent">
            Start a worker for it; instances appear here with their heartbeats.
          </EmptyState>
        }
        columns={['Instance', 'Health', 'Last heartbeat', 'In flight', 'Leases']}
        row={(instance) => (
          <tr key={instance.instance_id}>
            <td>
              <code>{instance.instance_id}</code>
            </td>
            <td>
              <StatusBadge status={instance.health} />
            </td>
            <td>{formatTime(instance.last_heartbeat)}</td>
            <td>{instance.in_flight}</td>
            <td>
              {instance.tasks
                .map((t) => `${t.task_id.slice(0, 8)} until ${formatTime(t.lease_expires_at)}`)
                .join('; ') || '—'}
            </td>
          </tr>
        )}
      />
    </div>
  );
}
