import { AlertEventTypes, createEnvelope } from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import { ChannelsRepository, resolveChannels } from '../notifications/channels.repository';
import { NotificationWakeup } from '../notifications/notification-wakeup';
import {
  NotificationsRepository,
  type NotificationPayload,
} from '../notifications/notifications.repository';
import { DeliveryWakeup } from '../routing/delivery-wakeup';
import type { AlertRuleRow } from './alert-rule';
import { nextState, NOTIFIED_TRANSITIONS, type Transition } from './alert-state';
import { AlertValues, valueKey, type CompiledRule, type RuleValues } from './alert-values';
import { AlertsRepository } from './alerts.repository';
import { evaluateCondition, parseCondition } from './condition';
import { PlatformEvents } from './platform-events';

/** Rules evaluated per round at most (oldest evaluation first), so a round stays bounded. */
const MAX_RULES_PER_ROUND = 2_000;

const transitions = new Counter({
  name: 'baton_alert_transitions_total',
  help: 'Alert rule state changes, by the state entered',
  labelNames: ['to'],
});

/**
 * One evaluation round over every workspace's rules: their values, their
 * next state, and for each transition (in one transaction) the history
 * entry, the `alert.state.changed` event in the store (routed to
 * subscriptions like any event) and, for firing and resolved, one
 * notification per channel unless the rule is silenced.
 */
@Injectable()
export class EvaluateAlertsUseCase {
  constructor(
    private readonly rules: AlertsRepository,
    private readonly values: AlertValues,
    private readonly channels: ChannelsRepository,
    private readonly notifications: NotificationsRepository,
    private readonly events: PlatformEvents,
    private readonly uow: UnitOfWork,
    private readonly deliveryWakeup: DeliveryWakeup,
    private readonly notificationWakeup: NotificationWakeup,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Returns how many rules changed state. */
  async execute(): Promise<number> {
    const byWorkspace = new Map<string, CompiledRule[]>();
    for (const row of await this.rules.dueRules(MAX_RULES_PER_ROUND)) {
      let condition;
      try {
        condition = parseCondition(row.condition);
      } catch {
        continue; // stored rules were parsed when written; a later grammar change must not stop the round
      }
      byWorkspace.set(row.workspace_id, [
        ...(byWorkspace.get(row.workspace_id) ?? []),
        { row, condition },
      ]);
    }
    let changed = 0;
    for (const [workspaceId, rules] of byWorkspace) {
      const values = await this.values.forWorkspace(workspaceId, rules);
      for (const rule of rules) {
        const ruleValues = values.get(rule.row.id);
        if (!ruleValues) {
          this.logger.warn(
            { workspace: workspaceId, rule: rule.row.name },
            'alert rule not evaluated this round: a figure source did not answer',
          );
          continue;
        }
        if (await this.evaluate(rule, ruleValues)) changed++;
      }
    }
    return changed;
  }

  private async evaluate(rule: CompiledRule, values: RuleValues): Promise<boolean> {
    const row = rule.row;
    const windowMs = Number(row.window_ms);
    const holds = evaluateCondition(
      rule.condition,
      (comparison) => values[valueKey(comparison, windowMs)] ?? null,
    );
    const now = new Date();
    const { next, transition } = nextState(
      { state: row.state, since: row.state_since },
      holds,
      Number(row.for_ms),
      now,
    );
    const outcome = await this.uow.run(async (tx) => {
      const current = await this.rules.recordEvaluation(
        tx.manager,
        row,
        next.state,
        next.since,
        values,
      );
      if (!current || !transition) return { routed: 0, queued: 0, changed: false };
      const envelope = createEnvelope({
        type: AlertEventTypes.stateChanged,
        source: 'event-manager',
        subject: row.name,
        workspaceId: row.workspace_id,
        data: {
          alert: row.name,
          from: transition.from,
          to: transition.to,
          severity: row.severity,
          condition: row.condition,
          values,
          scope: row.scope,
        },
      });
      const historyId = await this.rules.addHistory(
        tx.manager,
        row,
        transition.from,
        transition.to,
        values,
        envelope.id,
      );
      const routed = await this.events.store(tx.manager, envelope);
      const queued = NOTIFIED_TRANSITIONS.includes(transition.to)
        ? await this.notify(tx.manager, row, transition, values, historyId, now)
        : 0;
      return { routed, queued, changed: true };
    });
    if (outcome.changed && transition) transitions.inc({ to: transition.to });
    if (outcome.routed > 0) this.deliveryWakeup.wake();
    if (outcome.queued > 0) this.notificationWakeup.wake();
    return outcome.changed;
  }

  /** One notification per channel the rule names, deduplicated by transition; silenced ones are kept unsent. */
  private async notify(
    manager: Parameters<NotificationsRepository['enqueue']>[0],
    row: AlertRuleRow,
    transition: Transition,
    values: RuleValues,
    historyId: string,
    now: Date,
  ): Promise<number> {
    const channels = await this.channels.byWorkspace(row.workspace_id, manager);
    const { names } = resolveChannels(row.notification_channels, channels);
    const silenced = row.silenced_until !== null && row.silenced_until > now;
    const payload: NotificationPayload = {
      kind: 'alert',
      title: `[${row.severity}] ${row.name} is ${transition.to}`,
      severity: row.severity,
      state: transition.to,
      rule: row.name,
      condition: row.condition,
      values,
      scope: (row.scope as Record<string, string> | null) ?? null,
      description: row.description,
      workspace: row.workspace_id,
      at: now.toISOString(),
    };
    await this.notifications.enqueue(
      manager,
      names.map((channel) => ({
        workspaceId: row.workspace_id,
        channel,
        dedupKey: `alert:${historyId}:${channel}`,
        historyId,
        payload,
        silenced,
      })),
    );
    return silenced ? 0 : names.length;
  }
}
