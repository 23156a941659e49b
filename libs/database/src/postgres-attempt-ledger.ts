import type { AttemptKey, AttemptLedger, AttemptRecord } from '@baton/kafka';
import type { DataSource } from 'typeorm';

/**
 * The consumers' attempt records in the service's own schema. A write is
 * one autocommitted upsert: durable when it returns, which is all a record
 * written before a possibly fatal handler needs.
 */
export class PostgresAttemptLedger implements AttemptLedger {
  constructor(private readonly dataSource: DataSource) {}

  async read(key: AttemptKey): Promise<AttemptRecord | undefined> {
    const rows = (await this.dataSource.query(
      `SELECT from_offset::text AS from_offset, to_offset::text AS to_offset, attempts
         FROM consumer_attempts WHERE group_id = $1 AND topic = $2 AND partition = $3`,
      [key.groupId, key.topic, key.partition],
    )) as { from_offset: string; to_offset: string; attempts: number }[];
    const row = rows[0];
    return row
      ? { fromOffset: row.from_offset, toOffset: row.to_offset, attempts: Number(row.attempts) }
      : undefined;
  }

  async write(key: AttemptKey, record: AttemptRecord): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO consumer_attempts (group_id, topic, partition, from_offset, to_offset, attempts)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (group_id, topic, partition) DO UPDATE
         SET from_offset = EXCLUDED.from_offset, to_offset = EXCLUDED.to_offset,
             attempts = EXCLUDED.attempts, updated_at = now()`,
      [key.groupId, key.topic, key.partition, record.fromOffset, record.toOffset, record.attempts],
    );
  }
}
