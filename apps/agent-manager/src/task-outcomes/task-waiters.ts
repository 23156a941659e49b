import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { AgentManagerEnv } from '../agent-manager.env';
import { Client } from 'pg';
import type { Logger } from 'pino';
import type { TaskEntity } from '../task-model/task.entity';
import { TASK_FINISHED_CHANNEL, TasksRepository } from '../task-model/tasks.repository';

/** How often a waiter re-reads its task anyway, in case a notification was lost with a connection. */
const SAFETY_POLL_MS = 1_000;

/**
 * Lets a synchronous invoke wait for its task to finish, whichever replica
 * records the result: finishing a task sends a Postgres NOTIFY in the same
 * transaction, and every replica LISTENs on one connection of its own.
 */
@Injectable()
export class TaskWaiters implements OnModuleInit, OnModuleDestroy {
  private client?: Client;
  /** A waker gets the finished task when its finish committed in this process. */
  private readonly waiters = new Map<string, Set<(finished?: TaskEntity) => void>>();
  private stopped = false;
  private reconnectTimer?: NodeJS.Timeout;

  constructor(
    private readonly tasks: TasksRepository,
    private readonly env: AgentManagerEnv,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.connect();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    for (const wakers of this.waiters.values()) for (const wake of wakers) wake();
    await this.client?.end().catch(() => undefined);
  }

  /**
   * Wakes the waiters of a task. With `finished` (the outcome this process just
   * committed) they answer with it; without (a NOTIFY, maybe from another
   * replica) they read the task again.
   */
  notify(taskId: string, finished?: TaskEntity): void {
    for (const wake of this.waiters.get(taskId) ?? []) wake(finished);
  }

  /**
   * The finished task, or null when `until` (epoch ms) passes first.
   * `justCreated`: the caller committed the task a moment ago in this process
   * and calls this before yielding to I/O. The first read is then skipped (one
   * Postgres round trip less per invoke): a finish needs I/O (a commit, a
   * NOTIFY) to complete, so none can have happened before the waiter is
   * registered. Later rounds (the safety poll) read as usual.
   */
  async waitFor(
    taskId: string,
    until: number,
    options: { justCreated?: boolean } = {},
  ): Promise<TaskEntity | null> {
    let skipRead = options.justCreated === true;
    for (;;) {
      let wake!: (finished?: TaskEntity) => void;
      const woken = new Promise<TaskEntity | undefined>((resolve) => (wake = resolve));
      const set = this.waiters.get(taskId) ?? new Set();
      set.add(wake);
      this.waiters.set(taskId, set);
      try {
        // Registered before reading, so a finish between the read and the wait still wakes us.
        const task = skipRead ? null : await this.tasks.find(taskId);
        skipRead = false;
        if (task && task.status !== 'running') return task;
        const left = until - Date.now();
        if (left <= 0 || this.stopped) return null;
        let timer: NodeJS.Timeout | undefined;
        const finished = await Promise.race([
          woken,
          new Promise<undefined>(
            (resolve) =>
              (timer = setTimeout(() => resolve(undefined), Math.min(left, SAFETY_POLL_MS))),
          ),
        ]);
        clearTimeout(timer);
        if (finished) return finished;
      } finally {
        set.delete(wake);
        if (set.size === 0) this.waiters.delete(taskId);
      }
    }
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.env.DATABASE_URL });
    client.on('notification', (message) => {
      if (message.channel === TASK_FINISHED_CHANNEL && message.payload)
        this.notify(message.payload);
    });
    client.on('error', (error) => {
      this.logger.warn({ err: error }, 'task notification connection lost; reconnecting');
      this.scheduleReconnect();
    });
    await client.connect();
    await client.query(`LISTEN ${TASK_FINISHED_CHANNEL}`);
    this.client = client;
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    void this.client?.end().catch(() => undefined);
    this.client = undefined;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connect().catch(() => this.scheduleReconnect());
    }, 1_000);
  }
}
