import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { platformState } from '../e2e/support/platform';

type Log = (line: string) => void;

interface KafkaInfra {
  stopKafka(options: { log: Log; purge?: boolean }): Promise<void>;
  ensureKafka(options: { log: Log }): Promise<string>;
}
interface EmbeddedPostgres {
  embeddedPid(): number | undefined;
  stopEmbeddedPostgres(options: { log: Log }): Promise<void>;
  ensureEmbeddedPostgres(options: {
    log: Log;
    tryConnect: (url: string) => Promise<{ ok: boolean; error?: string }>;
  }): Promise<string>;
}
interface PostgresInfra {
  tryConnect(url: string): Promise<{ ok: boolean; error?: string }>;
}
// The project's own infrastructure scripts: the faults stop what an operator would.
/* eslint-disable @typescript-eslint/no-require-imports */
const kafkaInfra = require('../../scripts/infra/kafka') as KafkaInfra;
const embedded = require('../../scripts/infra/embedded-postgres') as EmbeddedPostgres;
const postgresInfra = require('../../scripts/infra/postgres') as PostgresInfra;
/* eslint-enable @typescript-eslint/no-require-imports */

export const log: Log = (line) => process.stderr.write(`${line}\n`);

/** Each service's /health/ready status (0: no answer at all). */
export async function readiness(): Promise<Record<string, number>> {
  const entries = await Promise.all(
    platformState().services.map(async (service) => {
      const response = await fetch(`http://127.0.0.1:${service.port}/health/ready`, {
        signal: AbortSignal.timeout(5_000),
      }).catch(() => undefined);
      return [service.name, response?.status ?? 0] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** The pid of each service as the harness last started it. */
export function servicePids(): Record<string, number> {
  return Object.fromEntries(platformState().services.map((s) => [s.name, s.pid]));
}

export async function stopBroker(): Promise<void> {
  // No purge: the broker keeps its data, as after a crash or a rolling restart.
  await kafkaInfra.stopKafka({ log });
}

export async function startBroker(): Promise<void> {
  await kafkaInfra.ensureKafka({ log });
}

/**
 * How this machine's Postgres can be stopped and started again: the embedded
 * server the scripts started, or the machine's own cluster through
 * pg_ctlcluster (root only). Anything else (DATABASE_URL elsewhere) the suite
 * must not touch, and says so instead of pretending to have restarted it.
 */
export function postgresControl(): { stop: () => Promise<void>; start: () => Promise<void> } {
  const url = new URL(platformState().databaseUrl);
  if (embedded.embeddedPid()) {
    return {
      stop: () => embedded.stopEmbeddedPostgres({ log }),
      start: async () => {
        await embedded.ensureEmbeddedPostgres({ log, tryConnect: postgresInfra.tryConnect });
      },
    };
  }
  const versions = fs.existsSync('/etc/postgresql') ? fs.readdirSync('/etc/postgresql') : [];
  const local = ['127.0.0.1', 'localhost'].includes(url.hostname) && url.port === '5432';
  if (local && versions.length === 1 && process.getuid?.() === 0) {
    const cluster = (action: string) => async () => {
      log(`postgres: pg_ctlcluster ${versions[0]} main ${action}`);
      execFileSync(
        'pg_ctlcluster',
        [
          '--skip-systemctl-redirect',
          versions[0],
          'main',
          action,
          ...(action === 'stop' ? ['-m', 'fast'] : []),
        ],
        { stdio: 'inherit' },
      );
    };
    return { stop: cluster('stop'), start: cluster('start') };
  }
  throw new Error(
    `cannot stop the Postgres at ${url.host}: it is neither the embedded server nor this ` +
      "machine's own cluster run as root; leave the fault out with BATON_FAULTS",
  );
}
