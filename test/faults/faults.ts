import { eventually } from '../e2e/support/platform';
import { killService, restartService } from '../e2e/support/service-control';
import {
  postgresControl,
  readiness,
  servicePids,
  startBroker,
  stopBroker,
  log,
} from './infra-control';

/** What the fault runner needs of one fault. */
export interface Fault {
  name: string;
  /**
   * Breaks something while runs are in flight and lifts the fault again;
   * resolves with the time (Date.now()) it was lifted.
   */
  strike(): Promise<number>;
  /** An outage elsewhere must not cost a service its process: its pid must stay the same. */
  keepsPids: boolean;
}

export const SERVICES = [
  'gateway',
  'security-manager',
  'agent-manager',
  'workflow-engine',
  'integration-manager',
  'event-manager',
] as const;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** kill -9 one service, and start it again a second later as a supervisor would. */
export function killFault(service: string): Fault {
  return {
    name: `kill -9 ${service}`,
    keepsPids: false,
    async strike() {
      await killService(service);
      await pause(1_000);
      const lifted = Date.now();
      await restartService(service);
      return lifted;
    },
  };
}

/**
 * kill -9 every service at once and start them all again: the short form's
 * stand-in for killing each in turn, which costs a consumer-group rebalance
 * per service (most of a phase's time) and so belongs to the long form.
 */
export const killAllFault: Fault = {
  name: 'kill -9 all six services at once',
  keepsPids: false,
  async strike() {
    await Promise.all(SERVICES.map((service) => killService(service)));
    await pause(1_000);
    const lifted = Date.now();
    await Promise.all(SERVICES.map((service) => restartService(service)));
    return lifted;
  },
};

/**
 * Waits until every service in `which` answers /health/ready with `status`;
 * during an outage that is the proof that they say they cannot work.
 */
async function allReady(which: readonly string[], status: number, what: string) {
  return eventually(
    async () => {
      const statuses = await readiness();
      return which.every((name) => statuses[name] === status) ? statuses : undefined;
    },
    60_000,
    what,
  );
}

/** The broker stopped (its data kept) and started again a few seconds later. */
export const brokerFault: Fault = {
  name: 'Kafka broker restart',
  keepsPids: true,
  async strike() {
    await stopBroker();
    let lifted = 0;
    try {
      const down = await allReady(SERVICES, 503, 'every service to report not ready');
      log(`readiness with the broker stopped: ${JSON.stringify(down)}`);
      await pause(3_000);
    } finally {
      await startBroker();
      // Recovery counts from the moment the broker answers again, not from its JVM's start.
      lifted = Date.now();
    }
    return lifted;
  },
};

/**
 * Postgres stopped and started again. The gateway owns no data and keeps no
 * connection, so only the five services with a schema must report not ready.
 */
export const postgresFault: Fault = {
  name: 'Postgres restart',
  keepsPids: true,
  async strike() {
    const postgres = postgresControl();
    if (postgres.what !== this.name) log(`postgres: cannot restart it here; ${postgres.what}`);
    await postgres.stop();
    let lifted = 0;
    try {
      const down = await allReady(
        SERVICES.filter((s) => s !== 'gateway'),
        503,
        'every service with a schema to report not ready',
      );
      log(`readiness with Postgres stopped: ${JSON.stringify(down)}`);
    } finally {
      // Keep the shared server's outage short whatever happened.
      await postgres.start();
      lifted = Date.now();
    }
    return lifted;
  },
};

/**
 * The faults in the order they run: the long form (BATON_FAULT_MODE=long) kills
 * each service in turn, the short one all at once; BATON_FAULTS picks some of
 * either by part of their names (comma-separated), e.g. `engine,broker`.
 */
export function selectedFaults(long: boolean): Fault[] {
  const kills = long ? SERVICES.map(killFault) : [killAllFault];
  const all: Fault[] = [...kills, brokerFault, postgresFault];
  const wanted = process.env.BATON_FAULTS?.split(',').map((s) => s.trim().toLowerCase());
  if (!wanted?.length) return all;
  const picked = all.filter((fault) => wanted.some((w) => fault.name.toLowerCase().includes(w)));
  if (!picked.length) throw new Error(`BATON_FAULTS=${process.env.BATON_FAULTS} names no fault`);
  return picked;
}

export async function waitAllReady(): Promise<void> {
  await allReady(SERVICES, 200, 'every service to be ready again');
}

export { servicePids };
