import { AlertEventTypes, createEnvelope, FlowEventTypes, type Envelope } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { ChannelsRepository } from '../notifications/channels.repository';
import {
  NotificationsRepository,
  type NotificationPayload,
} from '../notifications/notifications.repository';
import { IncidentsRepository } from './incidents.repository';
import { PlatformEvents } from './platform-events';

const REACTS_TO: readonly string[] = [FlowEventTypes.alert, FlowEventTypes.escalationRequested];

interface StepFailure {
  run_id?: string;
  workflow?: string;
  step?: string;
  error?: { type: string; message: string };
}

/**
 * What the workflow error handlers mean beyond their events: `notify-admin`
 * (workflow.alert) notifies the workspace's admin channels; `escalate`
 * (workflow.escalation.requested) opens an incident (stored as an
 * `alert.incident.opened` event too) and notifies them as well. Runs in the
 * transaction that stores the events, so a redelivered event (already
 * stored) does not notify twice. Returns the notifications queued and the
 * deliveries the incident events caused.
 */
@Injectable()
export class ErrorHandlerReactions {
  constructor(
    private readonly channels: ChannelsRepository,
    private readonly notifications: NotificationsRepository,
    private readonly incidents: IncidentsRepository,
    private readonly events: PlatformEvents,
  ) {}

  async react(
    manager: EntityManager,
    fresh: readonly Envelope[],
  ): Promise<{ queued: number; routed: number }> {
    let queued = 0;
    let routed = 0;
    for (const envelope of fresh) {
      if (!REACTS_TO.includes(envelope.type)) continue;
      const failure = (envelope.data ?? {}) as StepFailure;
      const escalated = envelope.type === FlowEventTypes.escalationRequested;
      const what = `workflow ${failure.workflow ?? '?'} step ${failure.step ?? '?'}`;
      const title = escalated ? `Escalated: ${what} needs a decision` : `${what} failed`;
      if (escalated) routed += await this.openIncident(manager, envelope, failure, title);
      const admins = (await this.channels.byWorkspace(envelope.workspaceid, manager)).filter(
        (c) => c.admin,
      );
      const payload: NotificationPayload = {
        kind: 'admin',
        title,
        severity: escalated ? 'critical' : 'error',
        state: escalated ? 'escalate' : 'notify-admin',
        run_id: failure.run_id ?? envelope.subject ?? null,
        step: failure.step ?? null,
        error: failure.error ?? null,
        workspace: envelope.workspaceid,
        at: envelope.time,
      };
      queued += await this.notifications.enqueue(
        manager,
        admins.map((channel) => ({
          workspaceId: envelope.workspaceid,
          channel: channel.name,
          dedupKey: `event:${envelope.id}:${channel.name}`,
          historyId: null,
          payload,
        })),
      );
    }
    return { queued, routed };
  }

  private async openIncident(
    manager: EntityManager,
    envelope: Envelope,
    failure: StepFailure,
    title: string,
  ): Promise<number> {
    const id = randomUUID();
    const opened = await this.incidents.open(manager, {
      id,
      workspaceId: envelope.workspaceid,
      sourceEventId: envelope.id,
      source: 'escalate',
      title,
      severity: 'critical',
      runId: failure.run_id ?? envelope.subject ?? null,
      step: failure.step ?? null,
      error: failure.error ?? null,
    });
    if (!opened) return 0;
    return this.events.store(
      manager,
      createEnvelope({
        type: AlertEventTypes.incidentOpened,
        source: 'event-manager',
        subject: id,
        workspaceId: envelope.workspaceid,
        causedBy: envelope,
        data: {
          incident_id: id,
          title,
          run_id: failure.run_id ?? null,
          step: failure.step ?? null,
        },
      }),
    );
  }
}
