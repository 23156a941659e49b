import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '../api/context';
import { problemOf, type Problem } from '../api/problem';
import { followEvents } from '../api/sse';
import type { RunView, StoredEvent } from '../api/types';
import {
  formatDuration,
  formatTime,
  JsonView,
  Loading,
  PageSection,
  ProblemAlert,
  StatusBadge,
} from '../components/common';
import { Link } from '../router';

const FINISHED = new Set(['completed', 'failed', 'cancelled']);

/**
 * One run, live: its history and new events come over SSE
 * (GET /v1/runs/{id}/events, read with fetch so the key rides in the header);
 * each event refreshes the run's steps. Cancel, pause, resume and retry.
 */
export function RunPage({ id }: { id: string }) {
  const api = useApi();
  const [run, setRun] = useState<RunView>();
  const [events, setEvents] = useState<StoredEvent[]>([]);
  const [problem, setProblem] = useState<Problem>();
  const [live, setLive] = useState(false);
  const [streamGeneration, setStreamGeneration] = useState(0);
  const refreshing = useRef<Promise<void> | null>(null);
  const path = `/v1/runs/${encodeURIComponent(id)}`;

  const refresh = useCallback(async () => {
    // One refresh at a time; a burst of events needs only the latest state.
    if (refreshing.current) return refreshing.current;
    refreshing.current = api
      .get<RunView>(path)
      .then(setRun, (error: unknown) => setProblem(problemOf(error)))
      .finally(() => {
        refreshing.current = null;
      });
    return refreshing.current;
  }, [api, path]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    const abort = new AbortController();
    let lastId: string | undefined;
    setLive(true);
    followEvents(
      `${path}/events`,
      api.headers(),
      (message) => {
        try {
          const event = JSON.parse(message.data) as StoredEvent;
          lastId = message.id ?? lastId;
          setEvents((previous) =>
            previous.some((e) => e.id === event.id) ? previous : [...previous, event],
          );
        } catch {
          /* a malformed event is skipped; the run view is still refreshed */
        }
        void refresh();
      },
      abort.signal,
      lastId,
      api.credentials,
    )
      .catch((error: unknown) => {
        if (!abort.signal.aborted) setProblem(problemOf(error));
      })
      .finally(() => {
        if (!abort.signal.aborted) {
          setLive(false);
          void refresh();
        }
      });
    return () => abort.abort();
  }, [api, path, refresh, streamGeneration]);

  async function operate(operation: 'cancel' | 'pause' | 'resume' | 'retry') {
    setProblem(undefined);
    try {
      setRun(await api.post<RunView>(`${path}/${operation}`));
      if (operation === 'retry' || operation === 'resume') setStreamGeneration((n) => n + 1);
    } catch (error) {
      setProblem(problemOf(error));
    }
  }

  if (!run) {
    return (
      <section>
        <h1>Run</h1>
        <ProblemAlert problem={problem} />
        {!problem ? <Loading what="the run" /> : null}
      </section>
    );
  }
  const finished = FINISHED.has(run.status);
  return (
    <PageSection
      id="run"
      title={
        <>
          Run <code>{run.id.slice(0, 8)}</code> <StatusBadge status={run.status} />
        </>
      }
      actions={
        <div className="actions">
          {/* A queued run has not started: it can be cancelled, not paused (ADR 0041). */}
          {!finished && run.status !== 'paused' && run.status !== 'queued' ? (
            <button type="button" className="ghost" onClick={() => operate('pause')}>
              Pause
            </button>
          ) : null}
          {run.status === 'paused' ? (
            <button type="button" onClick={() => operate('resume')}>
              Resume
            </button>
          ) : null}
          {!finished ? (
            <button type="button" className="danger" onClick={() => operate('cancel')}>
              Cancel
            </button>
          ) : null}
          {run.status === 'failed' || run.status === 'cancelled' ? (
            <button type="button" onClick={() => operate('retry')}>
              Retry
            </button>
          ) : null}
        </div>
      }
    >
      <p className="muted">
        <Link to={`/workflows/${encodeURIComponent(run.workflow)}`}>{run.workflow}</Link> v
        {run.workflow_version} · started {formatTime(run.created_at)} · finished{' '}
        {formatTime(run.finished_at)} ·{' '}
        <span aria-live="polite">{live ? 'live' : 'stream closed'}</span>
      </p>
      <ProblemAlert problem={problem} />
      {run.error ? (
        <ProblemAlert
          problem={{
            status: 0,
            title: `The run failed: ${run.error.type}`,
            detail: run.error.message,
          }}
        />
      ) : null}
      <div className="columns">
        <div>
          <h2>Steps</h2>
          <ol className="steps" aria-label="Steps">
            {run.steps.map((step) => (
              <li key={step.name} className="step" data-step={step.name} data-status={step.status}>
                <details>
                  <summary>
                    <span className="step-name">{step.name}</span>{' '}
                    <StatusBadge status={step.status} />{' '}
                    <span className="muted">
                      {step.agent ?? step.action ?? ''} · attempts {step.attempts} ·{' '}
                      {formatDuration(step.duration_ms)}
                    </span>
                  </summary>
                  <dl>
                    <dt>Started</dt>
                    <dd>{formatTime(step.started_at)}</dd>
                    <dt>Finished</dt>
                    <dd>{formatTime(step.finished_at)}</dd>
                  </dl>
                  <h3>Input</h3>
                  <JsonView value={step.input} label={`Input of ${step.name}`} />
                  <h3>Output</h3>
                  <JsonView value={step.output} label={`Output of ${step.name}`} />
                  {step.error ? (
                    <ProblemAlert
                      problem={{ status: 0, title: step.error.type, detail: step.error.message }}
                    />
                  ) : null}
                </details>
              </li>
            ))}
          </ol>
          <h2>Run input and output</h2>
          <JsonView value={run.input} label="Run input" />
          <JsonView value={run.output} label="Run output" />
        </div>
        <div>
          <h2>Timeline</h2>
          <ol className="timeline" aria-label="Run events" aria-live="polite">
            {events.map((event) => (
              <li key={event.id}>
                <time dateTime={event.time}>{new Date(event.time).toLocaleTimeString()}</time>{' '}
                <code>{event.type}</code>
                {stepOf(event) ? <span className="muted"> {stepOf(event)}</span> : null}
              </li>
            ))}
          </ol>
        </div>
      </div>
    </PageSection>
  );
}

function stepOf(event: StoredEvent): string | undefined {
  const data = event.data as { step?: unknown } | null;
  return typeof data?.step === 'string' ? data.step : undefined;
}
