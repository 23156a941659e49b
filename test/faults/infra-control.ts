import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { Client } from 'pg';
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

/** How a Postgres fault is inflicted, and how it is named in the table. */
export interface PostgresControl {
  what: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/**
 * How this machine's Postgres can be stopped and started again: the embedded
 * server the scripts started, or the machine's own cluster through
 * pg_ctlcluster (root only). Any other server (DATABASE_URL elsewhere) is not
 * the suite's to restart, so there the outage is the next best thing it may
 * do: the suite's database refuses connections and every session on it is
 * cut, which is what the services see of a restart.
 */
export function postgresControl(): PostgresControl {
  const url = new URL(platformState().databaseUrl);
  // A cluster other work shares (several checkouts' suites on one machine) must not be
  // stopped under them: BATON_FAULT_POSTGRES=database limits the outage to the suite's database.
  if (process.env.BATON_FAULT_POSTGRES === 'database') return databaseOutage(url);
  if (embedded.embeddedPid()) {
    return {
      what: 'Postgres restart',
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
      // -m fast: end sessions at once, as a crash or a failover does, instead of waiting for them.
      const mode = action === 'stop' ? ['-m', 'fast'] : [];
      execFileSync(
        'pg_ctlcluster',
        ['--skip-systemctl-redirect', versions[0], 'main', action, ...mode],
        {
          stdio: 'inherit',
        },
      );
    };
    return { what: 'Postgres restart', stop: cluster('stop'), start: cluster('start') };
  }
  return databaseOutage(url);
}

function databaseOutage(url: URL): PostgresControl {
  const database = url.pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const run = async (sql: string) => {
    const client = new Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  const name = `"${database.replace(/"/g, '""')}"`;
  return {
    what: 'Postgres outage (connections refused and cut)',
    async stop() {
      log(`postgres: ${database} refuses connections; its sessions are cut`);
      await run(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
      await run(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${database.replace(/'/g, "''")}' AND pid <> pg_backend_pid()`,
      );
    },
    async start() {
      await run(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
    },
  };
}
