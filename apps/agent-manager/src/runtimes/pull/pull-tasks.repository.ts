import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { TaskEntity } from '../../task-model/task.entity';

export interface PullClaim {
  task: TaskEntity;
  token: string;
  until: Date;
  deadline: Date;
}

/** Why a claim token was refused: the task is not waiting any more, or the claim is not its live one. */
export type ClaimRefusal = 'unknown-task' | 'stale-claim';

/**
 * The queue of `pull` agents' tasks is the tasks table (ADR 0033): a task
 * waits there, `status = 'running'`, from the moment agent-manager holds it
 * for workers (its deadline set) until a worker with the live claim reports
 * it. A claim is a token and `claim_until`; once `claim_until` passes the task
 * is offered again and the old token is void. Every statement decides in one
 * row lock, so any number of agent-manager replicas share the queue.
 */
@Injectable()
export class PullTasksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Offers a task to workers until `deadline`: its lease_until becomes the
   * deadline, so the lifecycle poller of any replica times it out then.
   */
  async hold(task: Pick<TaskEntity, 'id' | 'attempt'>, deadline: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE tasks SET deadline = COALESCE(deadline, $3), lease_until = COALESCE(deadline, $3)
       WHERE id = $1 AND attempt = $2 AND status = 'running'`,
      [task.id, task.attempt, deadline],
    );
  }

  /** The oldest offered task no live claim holds, now claimed by `worker` for `leaseMs` (at most until its deadline). */
  async claim(
    workspaceId: string,
    agent: string,
    worker: string,
    leaseMs: number,
  ): Promise<PullClaim | undefined> {
    const token = randomBytes(16).toString('hex');
    const [rows] = (await this.dataSource.query(
      `UPDATE tasks SET claim_token = $3, claimed_by = $4, claims = claims + 1,
         claim_until = LEAST(now() + ($5 || ' milliseconds')::interval, deadline)
       WHERE id = (
         SELECT id FROM tasks
          WHERE workspace_id = $1 AND agent = $2 AND status = 'running' AND executor = 'agent-manager'
            AND deadline > now() AND (claim_until IS NULL OR claim_until <= now())
          ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING id, claim_until, deadline`,
      [workspaceId, agent, token, worker, String(leaseMs)],
    )) as [{ id: string; claim_until: Date; deadline: Date }[], number];
    const row = rows[0];
    if (!row) return undefined;
    const task = await this.dataSource.manager.findOneByOrFail(TaskEntity, { id: row.id });
    return { task, token, until: row.claim_until, deadline: row.deadline };
  }

  /** Renews a live claim for `leaseMs` from now (at most until the deadline): a worker still at work. */
  async extend(
    workspaceId: string,
    agent: string,
    taskId: string,
    token: string,
    leaseMs: number,
  ): Promise<{ until: Date; deadline: Date } | ClaimRefusal> {
    const [rows] = (await this.dataSource.query(
      `UPDATE tasks SET claim_until = LEAST(now() + ($5 || ' milliseconds')::interval, deadline)
       WHERE id = $3 AND workspace_id = $1 AND agent = $2 AND status = 'running'
         AND claim_token = $4 AND claim_until > now()
       RETURNING claim_until, deadline`,
      [workspaceId, agent, taskId, token, String(leaseMs)],
    )) as [{ claim_until: Date; deadline: Date }[], number];
    if (rows[0]) return { until: rows[0].claim_until, deadline: rows[0].deadline };
    return this.refusal(workspaceId, agent, taskId);
  }

  /** The task a live claim holds, to report it; a refusal when the token is not the live claim. */
  async claimed(
    workspaceId: string,
    agent: string,
    taskId: string,
    token: string,
  ): Promise<TaskEntity | ClaimRefusal> {
    const [task] = (await this.dataSource.query(
      `SELECT id FROM tasks
        WHERE id = $3 AND workspace_id = $1 AND agent = $2 AND status = 'running'
          AND claim_token = $4 AND claim_until > now()`,
      [workspaceId, agent, taskId, token],
    )) as { id: string }[];
    if (!task) return this.refusal(workspaceId, agent, taskId);
    return this.dataSource.manager.findOneByOrFail(TaskEntity, { id: task.id });
  }

  /** Tells a task that is no longer waiting from a claim that is no longer live. */
  private async refusal(workspaceId: string, agent: string, taskId: string): Promise<ClaimRefusal> {
    const [row] = (await this.dataSource.query(
      `SELECT 1 FROM tasks WHERE id = $3 AND workspace_id = $1 AND agent = $2 AND status = 'running'`,
      [workspaceId, agent, taskId],
    )) as unknown[];
    return row ? 'stale-claim' : 'unknown-task';
  }
}
