import { Topics } from '@baton/contracts';
import type { BatonKafka } from '@baton/kafka';
import type { Admin } from 'kafkajs';
import type { DataSource, QueryRunner } from 'typeorm';

/**
 * One replica provisions at a time: a session advisory lock on a connection
 * of its own, held for as long as this replica leads; if the replica dies,
 * Postgres frees the lock with it.
 */
export class ProvisionerLead {
  private runner?: QueryRunner;

  constructor(
    private readonly dataSource: DataSource,
    private readonly lockName: string,
  ) {}

  async held(): Promise<boolean> {
    if (this.runner) return true;
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const [{ held }] = (await runner.query(`SELECT pg_try_advisory_lock(hashtext($1)) AS held`, [
      this.lockName,
    ])) as { held: boolean }[];
    if (!held) {
      await runner.release();
      return false;
    }
    this.runner = runner;
    return true;
  }

  /** Returning the connection ends the lead; the pool could not close while it is out. */
  async release(): Promise<void> {
    await this.runner?.release().catch(() => undefined);
    this.runner = undefined;
  }
}

/** The backlog scaling follows: messages on an agent's task topic its group has not committed. */
export class TaskBacklog {
  private admin?: Admin;

  constructor(private readonly kafka: BatonKafka) {}

  /** Queued plus in flight. */
  async of(workspaceId: string, name: string): Promise<number> {
    if (!this.admin) {
      this.admin = this.kafka.kafka.admin();
      await this.admin.connect();
    }
    const topic = Topics.agentTasks(workspaceId, name);
    const [ends, committed] = await Promise.all([
      this.admin.fetchTopicOffsets(topic),
      this.admin.fetchOffsets({ groupId: `baton-agent-${workspaceId}-${name}`, topics: [topic] }),
    ]);
    const done = new Map(
      (committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]),
    );
    return ends.reduce((sum, p) => {
      const position = done.get(p.partition) ?? -1;
      return sum + Number(p.high) - (position < 0 ? Number(p.low) : position);
    }, 0);
  }

  async close(): Promise<void> {
    await this.admin?.disconnect().catch(() => undefined);
  }
}
