import { eventually } from '../e2e/support/platform';
import {
  checkConnectorDeliveries,
  checkDispatches,
  checkEvents,
  checkRuns,
  checkSubscriptionDeliveries,
  profileOf,
  runOutcomes,
  storedEvents,
  type EventProfile,
  type Finding,
} from './checks';
import { servicePids, waitAllReady, type Fault } from './faults';
import type { Workload } from './workload';

/** One line of the final table. */
export interface PhaseResult {
  fault: string;
  runs: number;
  lost: number;
  doubled: number;
  /** From lifting the fault to every service ready again. */
  recoverMs: number;
  /** From lifting the fault to every run of the phase completed. */
  drainMs: number;
  findings: Finding[];
  /** Services whose pid changed across a fault that must not restart them. */
  restarted: string[];
}

/** How long a phase's runs may take to drain: generous, this is a correctness bound. */
function drainTimeoutMs(runs: number): number {
  return 120_000 + runs * 300;
}

async function waitForRuns(runs: number, outcomes: () => ReturnType<typeof runOutcomes>) {
  await eventually(
    async () => {
      const { completed, failed } = await outcomes();
      return completed + failed >= runs ? true : undefined;
    },
    drainTimeoutMs(runs),
    `all ${runs} runs to end`,
  ).catch(() => undefined); // checkRuns counts what did not end as lost
}

/**
 * Runs the same workload with no fault, and returns the event profile every
 * run must then have (the events a run that met no fault stores).
 */
export async function baseline(
  workload: Workload,
  runs: number,
): Promise<{ profile: EventProfile; result: PhaseResult }> {
  const phase = await workload.preparePhase('none');
  await workload.startRuns(phase, runs);
  const started = Date.now();
  await waitForRuns(runs, () => runOutcomes(phase));
  const drainMs = Date.now() - started;
  await eventually(async () => {
    const byRun = await storedEvents(phase);
    // The completion event is the last a run stores; once every run has it, the profile is whole.
    const done = [...byRun.values()].filter((events) =>
      events.some((e) => e.type === 'workflow.run.completed'),
    );
    return done.length === runs ? byRun : undefined;
  }, 60_000);
  const profile = profileOf([...(await storedEvents(phase)).values()][0]);
  const findings = await runChecks(workload, phase, profile);
  return { profile, result: summarise('none (baseline)', runs, 0, drainMs, findings, []) };
}

/** Starts `runs` runs, strikes the fault while they are in flight, then checks everything. */
export async function runPhase(
  workload: Workload,
  fault: Fault,
  runs: number,
  profile: EventProfile,
): Promise<PhaseResult> {
  const phase = await workload.preparePhase(fault.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase());
  const pidsBefore = servicePids();
  await workload.startRuns(phase, runs);
  const lifted = await fault.strike();
  await waitAllReady();
  const recoverMs = Date.now() - lifted;
  const pidsAfter = servicePids();
  const restarted = fault.keepsPids
    ? Object.keys(pidsBefore).filter((name) => pidsBefore[name] !== pidsAfter[name])
    : [];
  await waitForRuns(runs, () => runOutcomes(phase));
  const drainMs = Date.now() - lifted;
  const findings = await runChecks(workload, phase, profile);
  return summarise(fault.name, runs, recoverMs, drainMs, findings, restarted);
}

async function runChecks(
  workload: Workload,
  phase: Awaited<ReturnType<Workload['preparePhase']>>,
  profile: EventProfile,
): Promise<Finding[]> {
  return [
    await checkRuns(phase),
    checkDispatches(phase, workload),
    await checkEvents(phase, profile),
    await checkConnectorDeliveries(phase, workload),
    await checkSubscriptionDeliveries(phase, workload),
  ];
}

function summarise(
  fault: string,
  runs: number,
  recoverMs: number,
  drainMs: number,
  findings: Finding[],
  restarted: string[],
): PhaseResult {
  return {
    fault,
    runs,
    lost: findings.reduce((n, f) => n + f.lost, 0),
    doubled: findings.reduce((n, f) => n + f.doubled, 0),
    recoverMs,
    drainMs,
    findings,
    restarted,
  };
}

/** The table the suite prints at the end (figures, never asserted as timings). */
export function formatTable(results: PhaseResult[]): string {
  const header = [
    'fault',
    'runs',
    'lost',
    'doubled',
    'redelivered',
    'time to recover (ms)',
    'all runs done (ms)',
  ];
  const rows = results.map((r) => [
    r.fault,
    String(r.runs),
    String(r.lost),
    String(r.doubled),
    String(r.findings.reduce((n, f) => n + (f.redelivered ?? 0), 0)),
    String(r.recoverMs),
    String(r.drainMs),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)]
    .concat(
      results.flatMap((r) =>
        r.findings
          .filter((f) => f.lost || f.doubled)
          .map((f) => `  ${r.fault} / ${f.check}: ${f.examples.join('; ')}`),
      ),
    )
    .join('\n');
}
