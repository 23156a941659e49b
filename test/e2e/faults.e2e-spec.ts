import type { EventProfile } from '../faults/checks';
import { baseline, formatTable, runPhase, type PhaseResult } from '../faults/fault-runner';
import { selectedFaults } from '../faults/faults';
import { Workload } from '../faults/workload';
import { sdk } from './support/platform';
import { uniqueName } from './support/scripted-server';

/**
 * Faults lose nothing: with runs in flight (agent tasks, a retry timer, a
 * connector action, a subscription delivery), kill -9 the services, restart
 * the Kafka broker and restart Postgres; every run completes, no task, event
 * or delivery is lost or recorded twice. `npm test` runs the short form (all
 * six services killed at once, 150 runs per fault); `npm run test:faults`
 * (BATON_FAULT_MODE=long) kills each service in turn with 1,000 runs per
 * fault. BATON_FAULT_RUNS and BATON_FAULTS override the count and the faults.
 */
const LONG = process.env.BATON_FAULT_MODE === 'long';
const RUNS = Number(process.env.BATON_FAULT_RUNS || (LONG ? 1_000 : 150));
const FAULTS = selectedFaults(LONG);
// A bound on correctness, not a timing goal: a fault that wedges the platform fails here.
const PHASE_TIMEOUT_MS = 300_000 + RUNS * 1_000;

describe(`faults lose nothing (${RUNS} runs in flight per fault)`, () => {
  const workload = new Workload(sdk(), uniqueName('f').slice(2));
  const results: PhaseResult[] = [];
  let profile: EventProfile = {};

  beforeAll(async () => {
    await workload.start();
  }, 60_000);

  afterAll(async () => {
    await workload.stop();
    process.stderr.write(`\nFault suite (${RUNS} runs per fault)\n${formatTable(results)}\n`);
  });

  it(
    'runs the workload with no fault: the reference every faulted run must match',
    async () => {
      const calm = await baseline(workload, Math.min(RUNS, 20));
      results.push(calm.result);
      profile = calm.profile;
      expect(profile['workflow.run.completed']).toBe(1);
      expect({ lost: calm.result.lost, doubled: calm.result.doubled }).toEqual({
        lost: 0,
        doubled: 0,
      });
    },
    PHASE_TIMEOUT_MS,
  );

  for (const fault of FAULTS) {
    it(
      `${fault.name}: every run completes, nothing lost or doubled`,
      async () => {
        const result = await runPhase(workload, fault, RUNS, profile);
        results.push(result);
        // The long form runs for many minutes: show each row as soon as it is known.
        process.stderr.write(`${formatTable([result])}\n`);
        const problems = result.findings
          .filter((f) => f.lost || f.doubled)
          .map((f) => `${f.check}: lost ${f.lost}, doubled ${f.doubled}; ${f.examples.join('; ')}`);
        expect(problems).toEqual([]);
        expect({ lost: result.lost, doubled: result.doubled }).toEqual({ lost: 0, doubled: 0 });
        // Kafka or Postgres away is no reason for a service to die: it waits, not ready.
        expect(result.restarted).toEqual([]);
      },
      PHASE_TIMEOUT_MS,
    );
  }
});
