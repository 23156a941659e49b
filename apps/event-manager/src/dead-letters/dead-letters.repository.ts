import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { DeadLetterRecord } from './dead-letter-record';

/** Kept a day longer than the longest window a rule may name (7 d). */
const KEEP_DAYS = 8;

/** dead_letters: what the baton.dlq.* topics held, for alert rules and the summary. */
@Injectable()
export class DeadLettersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insertMany(records: DeadLetterRecord[]): Promise<void> {
    if (records.length === 0) return;
    const columns = 8;
    const values = records.map(
      (_, i) =>
        `(${Array.from({ length: columns }, (_, c) => `$${i * columns + c + 1}`).join(', ')})`,
    );
    await this.dataSource.query(
      `INSERT INTO dead_letters (dlq_topic, dlq_partition, dlq_offset, workspace_id, kind, reason,
                                 source_topic, dead_at)
       VALUES ${values.join(', ')}
       ON CONFLICT DO NOTHING`,
      records.flatMap((r) => [
        r.dlqTopic,
        r.partition,
        r.offset,
        r.workspaceId,
        r.kind,
        r.reason,
        r.sourceTopic,
        r.deadAt,
      ]),
    );
  }

  /**
   * What went dead in the window (`dead_letters` of alert rules and the
   * summary): messages dead-lettered on the baton.dlq.* topics, plus event
   * deliveries and notifications given up on. Of one workspace (the messages
   * that carried it), or of the whole platform when `workspaceId` is null.
   */
  async count(workspaceId: string | null, windowMs: number): Promise<number> {
    const [row] = (await this.dataSource.query(
      `SELECT (SELECT count(*)::int FROM dead_letters
                WHERE ($1::text IS NULL OR workspace_id = $1)
                  AND dead_at > now() - $2 * interval '1 millisecond')
            + (SELECT count(*)::int FROM deliveries
                WHERE ($1::text IS NULL OR workspace_id = $1) AND status = 'dead'
                  AND updated_at > now() - $2 * interval '1 millisecond')
            + (SELECT count(*)::int FROM notifications
                WHERE ($1::text IS NULL OR workspace_id = $1) AND status = 'dead'
                  AND created_at > now() - $2 * interval '1 millisecond') AS n`,
      [workspaceId, windowMs],
    )) as { n: number }[];
    return Number(row.n);
  }

  async prune(): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM dead_letters WHERE dead_at < now() - interval '${KEEP_DAYS} days'`,
    );
  }
}
