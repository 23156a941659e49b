import { api, eventually } from '../e2e/support/platform';
import { EXPECTED_ATTEMPTS, type Phase, type Workload } from './workload';

/** What one check found; `lost` and `doubled` must both be zero. */
export interface Finding {
  check: string;
  lost: number;
  doubled: number;
  /** Redeliveries the design allows (at least once), shown but not counted as doubled. */
  redelivered?: number;
  examples: string[];
}

interface StoredEvent {
  id: string;
  type: string;
  subject: string | null;
}
type Page<T> = { items: T[]; next_cursor: string | null };

/** A run's stored workflow events as a type -> count map, e.g. { 'workflow.step.completed': 4 }. */
export type EventProfile = Record<string, number>;

const SETTLE_MS = 60_000;

async function allPages<T>(path: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page: { status: number; body: Page<T> } = await api<Page<T>>(
      'GET',
      `${path}${cursor ? `${sep}cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    if (page.status !== 200) throw new Error(`GET ${path}: ${page.status}`);
    items.push(...page.body.items);
    cursor = page.body.next_cursor;
  } while (cursor);
  return items;
}

/** Runs `work` over `items` with at most `limit` at once (a few hundred GETs per phase). */
async function inBatches<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>) {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += limit) {
    results.push(...(await Promise.all(items.slice(i, i + limit).map(work))));
  }
  return results;
}

/** How many of the phase's runs have completed, and how many failed. */
export async function runOutcomes(phase: Phase): Promise<{ completed: number; failed: number }> {
  const count = async (status: string) =>
    (await allPages(`/v1/runs?workflow=${phase.workflow}&status=${status}&limit=200`)).length;
  return { completed: await count('completed'), failed: await count('failed') };
}

/** Every run completed: a run still running or failed is lost work. */
export async function checkRuns(phase: Phase): Promise<Finding> {
  const { completed, failed } = await runOutcomes(phase);
  return {
    check: 'runs completed',
    // More completed runs than were started is a start handled twice.
    lost: Math.max(0, phase.runs.size - completed),
    doubled: Math.max(0, completed - phase.runs.size),
    examples: failed ? [`${failed} failed`] : [],
  };
}

/**
 * Each agent task attempt reached the worker in one message (a redelivery is the
 * same message id), and each step took the attempts its retry policy asked for.
 */
export function checkDispatches(phase: Phase, workload: Workload): Finding {
  const messages = new Map<string, Set<string>>();
  const attempts = new Map<string, Set<number>>();
  let received = 0;
  for (const d of workload.dispatches) {
    if (!phase.runs.has(d.runId)) continue;
    received++;
    const task = `${d.taskId}#${d.attempt}`;
    messages.set(task, (messages.get(task) ?? new Set()).add(d.messageId));
    const step = `${d.runId}/${d.step}`;
    attempts.set(step, (attempts.get(step) ?? new Set()).add(d.attempt));
  }
  const examples: string[] = [];
  let doubled = 0;
  for (const [task, ids] of messages) {
    if (ids.size > 1) {
      doubled += ids.size - 1;
      examples.push(`${task} dispatched in ${ids.size} messages`);
    }
  }
  let lost = 0;
  for (const runId of phase.runs.keys()) {
    for (const [step, expected] of Object.entries(EXPECTED_ATTEMPTS)) {
      const seen = attempts.get(`${runId}/${step}`)?.size ?? 0;
      if (seen > expected) {
        doubled += seen - expected;
        examples.push(`${runId}/${step}: ${seen} attempts, the policy asked for ${expected}`);
      } else if (seen < expected) {
        lost += expected - seen;
        examples.push(`${runId}/${step}: ${seen} attempts reached the worker of ${expected}`);
      }
    }
  }
  return {
    check: 'agent task dispatches',
    lost,
    doubled,
    redelivered: received - [...messages.values()].reduce((n, ids) => n + ids.size, 0),
    examples: examples.slice(0, 5),
  };
}

/** The phase's stored workflow events, grouped by run (their subject). */
export async function storedEvents(phase: Phase): Promise<Map<string, StoredEvent[]>> {
  const from = new Date(phase.startedAt.getTime() - 5_000).toISOString();
  const events = await allPages<StoredEvent>(
    `/v1/events?type=workflow.*&from=${encodeURIComponent(from)}&limit=500`,
  );
  const byRun = new Map<string, StoredEvent[]>();
  for (const event of events) {
    if (!event.subject || !phase.runs.has(event.subject)) continue;
    byRun.set(event.subject, [...(byRun.get(event.subject) ?? []), event]);
  }
  return byRun;
}

export function profileOf(events: StoredEvent[]): EventProfile {
  const profile: EventProfile = {};
  for (const event of events) profile[event.type] = (profile[event.type] ?? 0) + 1;
  return profile;
}

/**
 * Each run's events were stored once: the same types, as many of each, as a
 * run that met no fault (`expected`), and no event id twice.
 */
export async function checkEvents(phase: Phase, expected: EventProfile): Promise<Finding> {
  const total = Object.values(expected).reduce((a, b) => a + b, 0);
  // Events reach the store asynchronously; wait until each run has at least its share.
  let byRun = new Map<string, StoredEvent[]>();
  await eventually(
    async () => {
      byRun = await storedEvents(phase);
      return [...phase.runs.keys()].every((id) => (byRun.get(id)?.length ?? 0) >= total)
        ? true
        : undefined;
    },
    SETTLE_MS,
    'every run event to be stored',
  ).catch(() => undefined); // what is still missing then is counted as lost below
  let lost = 0;
  let doubled = 0;
  const examples: string[] = [];
  for (const runId of phase.runs.keys()) {
    const events = byRun.get(runId) ?? [];
    const ids = new Set(events.map((e) => e.id));
    doubled += events.length - ids.size;
    const profile = profileOf(events);
    for (const type of new Set([...Object.keys(expected), ...Object.keys(profile)])) {
      const diff = (profile[type] ?? 0) - (expected[type] ?? 0);
      if (diff > 0) doubled += diff;
      if (diff < 0) lost -= diff;
      if (diff !== 0) examples.push(`${runId}: ${type} stored ${profile[type] ?? 0} times`);
    }
  }
  return { check: 'stored run events', lost, doubled, examples: examples.slice(0, 5) };
}

/**
 * The connector action reached the receiver at least once per run, and
 * integration-manager recorded exactly one delivery for it.
 */
export async function checkConnectorDeliveries(phase: Phase, workload: Workload): Promise<Finding> {
  const arrivals = new Map<string, number>();
  for (const request of workload.connectorInbox.received) {
    // The webhook connector posts { message, run_id, step, task_id, attempt }.
    const runId = (JSON.parse(request.body) as { run_id?: string }).run_id;
    if (runId) arrivals.set(runId, (arrivals.get(runId) ?? 0) + 1);
  }
  const examples: string[] = [];
  let lost = 0;
  let doubled = 0;
  let redelivered = 0;
  const recorded = await inBatches([...phase.runs.keys()], 20, async (runId) => {
    const page = await api<Page<{ status: string }>>('GET', `/v1/deliveries?run_id=${runId}`);
    return { runId, delivered: page.body.items.filter((d) => d.status === 'delivered') };
  });
  for (const { runId, delivered } of recorded) {
    const arrived = arrivals.get(runId) ?? 0;
    if (arrived === 0) {
      lost++;
      examples.push(`${runId}: the receiver never got its message`);
    }
    redelivered += Math.max(0, arrived - 1);
    if (delivered.length === 0) {
      lost++;
      examples.push(`${runId}: no delivery recorded`);
    } else if (delivered.length > 1) {
      doubled += delivered.length - 1;
      examples.push(`${runId}: ${delivered.length} deliveries recorded`);
    }
  }
  return {
    check: 'connector deliveries',
    lost,
    doubled,
    redelivered,
    examples: examples.slice(0, 5),
  };
}

/**
 * The subscription delivered each run's completion event at least once, and
 * event-manager recorded one delivery per event.
 */
export async function checkSubscriptionDeliveries(
  phase: Phase,
  workload: Workload,
): Promise<Finding> {
  const arrivals = new Map<string, number>();
  const count = () => {
    arrivals.clear();
    for (const request of workload.subscriptionInbox.received) {
      const event = JSON.parse(request.body) as { subject?: string };
      if (event.subject && phase.runs.has(event.subject)) {
        arrivals.set(event.subject, (arrivals.get(event.subject) ?? 0) + 1);
      }
    }
    return arrivals.size;
  };
  await eventually(
    async () => (count() >= phase.runs.size ? true : undefined),
    SETTLE_MS,
    'every subscription delivery',
  ).catch(() => undefined); // counted as lost below
  count();
  type View = { delivery: { delivered: number; dead_lettered: number } };
  const read = () => api<View>('GET', `/v1/subscriptions/${phase.subscriptionId}`);
  // A delivery is recorded after the receiver answered: a record that could not be written
  // (Postgres away) is a delivery sent again later, so the count may trail the arrivals.
  let view = await read();
  await eventually(
    async () => {
      view = await read();
      return view.body.delivery.delivered >= phase.runs.size ? true : undefined;
    },
    SETTLE_MS,
    'every subscription delivery to be recorded',
  ).catch(() => undefined); // counted as lost below
  const recorded = view.body.delivery.delivered;
  const examples: string[] = [];
  const missing = [...phase.runs.keys()].filter((id) => !arrivals.has(id));
  if (missing.length) examples.push(`never delivered: ${missing.slice(0, 3).join(', ')}`);
  if (view.body.delivery.dead_lettered) {
    examples.push(`${view.body.delivery.dead_lettered} dead-lettered`);
  }
  if (recorded !== phase.runs.size) examples.push(`${recorded} deliveries recorded`);
  return {
    check: 'subscription deliveries',
    lost: Math.max(missing.length, phase.runs.size - recorded),
    doubled: Math.max(0, recorded - phase.runs.size),
    redelivered: [...arrivals.values()].reduce((n, c) => n + c - 1, 0),
    examples,
  };
}
