import { createEnvelope, type ScheduleTriggerPayload } from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { WorkflowTriggersRepository } from '../workflows/workflow-triggers.repository';
import { nextFireAfter, planFiring } from '../workflows/schedule';
import { TriggeredRunStarter } from './triggered-run.starter';

/**
 * `trigger: { schedule: "<cron>" }`: fires the schedules that are due, one
 * transaction each. The schedule's row stays locked (FOR UPDATE SKIP LOCKED)
 * while its run starts, so two engines never fire one occurrence; the run's
 * idempotency key is the occurrence, so a crash between starting the run and
 * moving the fire time cannot start it twice either.
 */
@Injectable()
export class FireSchedulesUseCase {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly triggers: WorkflowTriggersRepository,
    private readonly starter: TriggeredRunStarter,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(limit = 100, now = () => new Date()): Promise<number> {
    let handled = 0;
    while (handled < limit) {
      const found = await this.uow.run(async (tx) => {
        const row = await this.triggers.claimDue(tx.manager);
        if (!row) return false;
        const schedule = { cron: row.cron, timezone: row.timezone };
        if (row.next_fire_at === null) {
          // Stored before schedules were tracked: start counting from now, fire nothing.
          await this.triggers.setNextFire(tx.manager, row, nextFireAfter(schedule, now()));
          return true;
        }
        const firing = planFiring(schedule, row.next_fire_at, now());
        if (firing.skipped > 0) {
          this.logger.warn(
            { workflow: row.workflow, skipped: firing.skipped },
            'schedule occurrences passed while no engine was running; fired once for them',
          );
        }
        const scheduledAt = firing.scheduledAt.toISOString();
        const trigger: ScheduleTriggerPayload = {
          type: 'schedule',
          cron: row.cron,
          timezone: row.timezone,
          scheduled_at: scheduledAt,
          fired_at: now().toISOString(),
        };
        await this.starter.start({
          workspaceId: row.workspace_id,
          workflow: row.workflow,
          input: {},
          trigger,
          idempotencyKey: `schedule:${scheduledAt}`,
          cause: createEnvelope({
            type: 'workflow.schedule.fired',
            source: 'workflow-engine',
            subject: row.workflow,
            workspaceId: row.workspace_id,
            data: trigger,
          }),
        });
        await this.triggers.setNextFire(tx.manager, row, firing.next);
        return true;
      });
      if (!found) break;
      handled++;
    }
    return handled;
  }
}
