import { Module } from '@nestjs/common';
import { RunsModule } from '../runs/runs.module';
import { WorkflowsModule } from '../workflows/workflows.module';
import { FireSchedulesUseCase } from './fire-schedules.usecase';
import { IngressTriggerConsumer } from './ingress-trigger.consumer';
import { SchedulePoller } from './schedule.poller';
import { TriggeredRunStarter } from './triggered-run.starter';

/** Event and schedule triggers: what starts runs besides `POST /v1/workflows/{name}/runs`. */
@Module({
  imports: [RunsModule, WorkflowsModule],
  providers: [TriggeredRunStarter, IngressTriggerConsumer, FireSchedulesUseCase, SchedulePoller],
})
export class TriggersModule {}
