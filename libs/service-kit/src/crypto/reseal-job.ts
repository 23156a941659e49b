import { Poller } from '@baton/database';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable, Module, type DynamicModule } from '@nestjs/common';
import { EncryptedDatabaseEnv } from './encryption-key';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { Gauge, register } from 'prom-client';
import type { DataSource } from 'typeorm';
import { SecretBox } from './secret-box';

/** A column of sealed values the service owns, and how to rebuild each value's context. */
export interface SealedColumn {
  /** Names it in logs and in the metric's `column` label, e.g. `connections.secrets`. */
  name: string;
  table: string;
  column: string;
  /** The row's key, in order: the job walks the table by it and updates by it. */
  keyColumns: string[];
  /** Further columns the context needs. */
  contextColumns?: string[];
  /** The associated data the value was sealed with. */
  context: (row: Record<string, string>) => string;
  /** What the stored text has before the sealed value (`sealed:` for webhook secrets). */
  prefix?: string;
}

/** A sealed column named `table.column`, as the re-seal job's logs and metric show it. */
export function sealedColumn(
  table: string,
  column: string,
  keyColumns: string[],
  context: SealedColumn['context'],
  prefix?: string,
): SealedColumn {
  return {
    name: `${table}.${column}`,
    table,
    column,
    keyColumns,
    context,
    ...(prefix ? { prefix } : {}),
  };
}

export interface ResealPass {
  resealed: number;
  unopenable: number;
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

function ident(name: string): string {
  if (!IDENT.test(name)) throw new Error(`not a plain SQL identifier: ${name}`);
  return name;
}

function gauge(): Gauge<'column'> {
  const name = 'baton_sealed_values_on_old_keys';
  return (
    (register.getSingleMetric(name) as Gauge<'column'> | undefined) ??
    new Gauge({
      name,
      help: 'Values still sealed with a key that is not the active one (0: the old keys can be retired)',
      labelNames: ['column'],
    })
  );
}

/**
 * Moves values sealed with a retiring key (or the legacy v1 key) to the
 * active key, a batch at a time, so that after a rotation the old key can be
 * removed from BATON_ENCRYPTION_KEYS once `baton_sealed_values_on_old_keys`
 * is 0 in every service (its log says so too). A pass walks each table by
 * its key: a value that does not open (unknown key, tampered) is counted and
 * skipped, never retried in a tight loop. Replicas share the work through
 * FOR UPDATE SKIP LOCKED; an update only lands on the value it read.
 */
export class Resealer {
  private readonly cursors = new Map<string, unknown[] | null>();
  private readonly metric = gauge();

  constructor(
    private readonly dataSource: DataSource,
    private readonly box: SecretBox,
    private readonly columns: readonly SealedColumn[],
    private readonly batchSize: number,
  ) {}

  /** One batch of each column; true when some column has more to do right now. */
  async round(): Promise<{ more: boolean; resealed: number; unopenable: number }> {
    let more = false;
    let resealed = 0;
    let unopenable = 0;
    for (const column of this.columns) {
      const batch = await this.batch(column);
      resealed += batch.resealed;
      unopenable += batch.unopenable;
      if (batch.more) more = true;
    }
    return { more, resealed, unopenable };
  }

  /** Values of each column not yet on the active key; also sets the gauge. */
  async remaining(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const column of this.columns) {
      const prefix = column.prefix ?? '';
      const col = ident(column.column);
      const rows = (await this.dataSource.query(
        `SELECT count(*)::int AS n FROM ${ident(column.table)}
         WHERE ${col} IS NOT NULL AND (starts_with(${col}, $1) OR starts_with(${col}, $2))
           AND NOT starts_with(${col}, $3)`,
        [`${prefix}v1:`, `${prefix}v2:`, prefix + this.box.currentPrefix],
      )) as { n: number }[];
      counts[column.name] = rows[0]?.n ?? 0;
      this.metric.set({ column: column.name }, counts[column.name]);
    }
    return counts;
  }

  /** Runs passes until nothing is left to move (tests and one-off scripts). */
  async drain(): Promise<ResealPass> {
    const total: ResealPass = { resealed: 0, unopenable: 0 };
    for (;;) {
      const round = await this.round();
      total.resealed += round.resealed;
      total.unopenable += round.unopenable;
      if (!round.more) return total;
    }
  }

  private openablePrefixes(column: SealedColumn): string[] {
    const prefix = column.prefix ?? '';
    const prefixes = this.box.keyring.retiringIds.map((id) => `${prefix}v2:${id}:`);
    if (this.box.keyring.legacy) prefixes.push(`${prefix}v1:`);
    return prefixes;
  }

  private async batch(
    column: SealedColumn,
  ): Promise<{ more: boolean; resealed: number; unopenable: number }> {
    const prefixes = this.openablePrefixes(column);
    if (prefixes.length === 0) return { more: false, resealed: 0, unopenable: 0 };
    const table = ident(column.table);
    const col = ident(column.column);
    const keys = column.keyColumns.map(ident);
    const selected = [...new Set([...keys, ...(column.contextColumns ?? []).map(ident)])];
    const cursor = this.cursors.get(column.name) ?? null;
    const params: unknown[] = [...prefixes];
    const match = prefixes.map((_, i) => `starts_with(${col}, $${i + 1})`).join(' OR ');
    let after = '';
    if (cursor) {
      const placeholders = cursor.map((value) => {
        params.push(value);
        return `$${params.length}`;
      });
      after = `AND (${keys.join(', ')}) > (${placeholders.join(', ')})`;
    }
    params.push(this.batchSize);
    const prefix = column.prefix ?? '';
    let resealed = 0;
    let unopenable = 0;
    let last: unknown[] | null = null;
    let count = 0;
    await this.dataSource.transaction(async (manager) => {
      const rows = (await manager.query(
        `SELECT ${selected.map((c) => `${c}::text AS ${c}`).join(', ')}, ${col} AS sealed
         FROM ${table}
         WHERE ${col} IS NOT NULL AND (${match}) ${after}
         ORDER BY ${keys.join(', ')}
         LIMIT $${params.length}
         FOR UPDATE SKIP LOCKED`,
        params,
      )) as Record<string, string>[];
      count = rows.length;
      for (const row of rows) {
        last = keys.map((key) => row[key]);
        let next: string;
        try {
          next = prefix + this.box.reseal(row.sealed.slice(prefix.length), column.context(row));
        } catch {
          unopenable++;
          continue;
        }
        const where = keys.map((key, i) => `${key}::text = $${i + 2}`).join(' AND ');
        await manager.query(
          `UPDATE ${table} SET ${col} = $1 WHERE ${where} AND ${col} = $${keys.length + 2}`,
          [next, ...keys.map((key) => row[key]), row.sealed],
        );
        resealed++;
      }
    });
    const more = count >= this.batchSize;
    // A full batch continues after its last row; a short one ends the pass.
    this.cursors.set(column.name, more ? last : null);
    return { more, resealed, unopenable };
  }
}

export const SEALED_COLUMNS = Symbol('SEALED_COLUMNS');

/** Runs the Resealer every BATON_RESEAL_INTERVAL_MS (back to back while batches are full). */
@Injectable()
export class ResealJob extends Poller {
  readonly resealer: Resealer;
  private pass: ResealPass = { resealed: 0, unopenable: 0 };

  constructor(
    @Inject(getDataSourceToken()) dataSource: DataSource,
    box: SecretBox,
    @Inject(SEALED_COLUMNS) columns: SealedColumn[],
    @Inject(LOGGER) logger: Logger,
    env: EncryptedDatabaseEnv,
  ) {
    let lastReported = '';
    super({
      round: async () => {
        const round = await this.resealer.round();
        this.pass.resealed += round.resealed;
        this.pass.unopenable += round.unopenable;
        if (round.more) return true;
        const remaining = await this.resealer.remaining();
        const left = Object.values(remaining).reduce((a, b) => a + b, 0);
        const report = JSON.stringify({ ...this.pass, remaining });
        // One line per change, not one per interval.
        if (report !== lastReported && (this.pass.resealed > 0 || left > 0)) {
          const fields = {
            active_key_id: box.keyring.activeId,
            resealed: this.pass.resealed,
            unopenable: this.pass.unopenable,
            remaining_on_old_keys: remaining,
          };
          if (left > 0) {
            logger.warn(
              fields,
              'values are still sealed with old keys; keep those keys in BATON_ENCRYPTION_KEYS',
            );
          } else {
            logger.info(fields, 're-seal done: no value is sealed with an old key');
          }
        }
        lastReported = report;
        this.pass = { resealed: 0, unopenable: 0 };
        return false;
      },
      intervalMs: env.BATON_RESEAL_INTERVAL_MS ?? 60_000,
      onError: (err) => logger.warn({ err }, 're-sealing failed; will retry'),
      delayFirstRound: true,
    });
    this.resealer = new Resealer(dataSource, box, columns, env.BATON_RESEAL_BATCH_SIZE ?? 100);
  }
}

/** The re-seal job of a service, over the sealed columns it owns. */
@Module({})
export class ResealModule {
  static forColumns(columns: SealedColumn[]): DynamicModule {
    return {
      module: ResealModule,
      providers: [{ provide: SEALED_COLUMNS, useValue: columns }, ResealJob],
      exports: [ResealJob],
    };
  }
}
