import {
  AlertHistoryQuery,
  AlertMessageTypes as Types,
  AlertNameQuery,
  CreateAlertCommand,
  decodeCursor,
  DomainError,
  PageQuery,
  SilenceAlertCommand,
  toPage,
  UpdateAlertCommand,
  type AlertHistoryEntryView,
  type AlertView,
  type Page,
  onePage,
} from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import type { CommandRegistry } from '@baton/kafka';
import { CommandHandlers } from '@baton/service-kit';
import { parseDuration } from '@baton/workflow-dsl';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EventManagerEnv } from '../event-manager.env';
import { ChannelsRepository, resolveChannels } from '../notifications/channels.repository';
import { NotificationsRepository } from '../notifications/notifications.repository';
import { FiguresClient } from './figures.client';
import { DEFAULT_WINDOW, toAlertView, type AlertRuleRow, type RuleScope } from './alert-rule';
import { AlertsRepository, MAX_RULES, type RuleFields } from './alerts.repository';
import { comparisons, ConditionError, parseCondition } from './condition';
import { scopeKind, scopesOf, sourceOf } from './metric-scope';

const MAX_FOR_MS = 7 * 86_400_000;
const MAX_WINDOW_MS = 7 * 86_400_000;
const MAX_SILENCE_MS = 90 * 86_400_000;

/** `POST/GET/PATCH/DELETE /v1/alerts`, history and silences. */
@Injectable()
export class AlertCommandsHandlers extends CommandHandlers {
  constructor(
    private readonly rules: AlertsRepository,
    private readonly channels: ChannelsRepository,
    private readonly notifications: NotificationsRepository,
    private readonly agents: FiguresClient,
    private readonly uow: UnitOfWork,
    private readonly env: EventManagerEnv,
  ) {
    super();
  }

  register(server: CommandRegistry): void {
    server
      .handle(Types.alertCreate, CreateAlertCommand, (command, envelope) =>
        this.create(envelope.workspaceid, command),
      )
      .handle(Types.alertList, PageQuery, async (_query, envelope) =>
        onePage((await this.rules.list(envelope.workspaceid)).map(toAlertView)),
      )
      .handle(Types.alertGet, AlertNameQuery, async (query, envelope) =>
        toAlertView(await this.require(envelope.workspaceid, query.name)),
      )
      .handle(Types.alertUpdate, UpdateAlertCommand, (command, envelope) =>
        this.update(envelope.workspaceid, command),
      )
      .handle(Types.alertDelete, AlertNameQuery, (query, envelope) =>
        this.uow.run(async (tx) => {
          if (!(await this.rules.delete(tx.manager, envelope.workspaceid, query.name)))
            throw DomainError.notFound('alert', query.name);
          tx.audit({ action: 'alert.delete', target: `alert/${query.name}` });
          return { deleted: true };
        }),
      )
      .handle(Types.alertHistory, AlertHistoryQuery, (query, envelope) =>
        this.history(envelope.workspaceid, query),
      )
      .handle(Types.alertSilence, SilenceAlertCommand, (command, envelope) =>
        this.silence(envelope.workspaceid, command),
      );
  }

  private async create(
    workspaceId: string,
    command: CreateAlertCommand,
  ): Promise<{ created: boolean; alert: AlertView }> {
    const fields = await this.checked(workspaceId, command);
    if ((await this.rules.count(workspaceId)) >= MAX_RULES)
      throw DomainError.invalid('name', `a workspace has at most ${MAX_RULES} alert rules`);
    const created = await this.uow.run(async (tx) => {
      if (!(await this.rules.insert(tx.manager, randomUUID(), workspaceId, command.name, fields)))
        return false;
      tx.audit({
        action: 'alert.create',
        target: `alert/${command.name}`,
        details: { condition: command.condition, severity: command.severity },
      });
      return true;
    });
    const alert = await this.require(workspaceId, command.name);
    // The name is the natural key: the same rule sent again (a retried POST) is answered
    // as it is; a different one under that name is a conflict.
    if (!created && !sameRule(alert, fields))
      throw new DomainError('ALERT.EXISTS', `alert '${command.name}' exists already`);
    return { created, alert: toAlertView(alert) };
  }

  private async update(workspaceId: string, command: UpdateAlertCommand): Promise<AlertView> {
    const current = await this.require(workspaceId, command.name);
    const merged: CreateAlertCommand = {
      name: command.name,
      condition: command.condition ?? current.condition,
      notification_channels: command.notification_channels ?? current.notification_channels,
      severity: (command.severity ?? current.severity) as CreateAlertCommand['severity'],
      for: command.for ?? current.for_text ?? undefined,
      window: command.window ?? current.window_text,
      scope: command.scope ?? current.scope ?? undefined,
      description: command.description ?? current.description ?? undefined,
    };
    const fields = await this.checked(workspaceId, merged);
    await this.uow.run(async (tx) => {
      await this.rules.update(tx.manager, workspaceId, command.name, fields);
      tx.audit({ action: 'alert.update', target: `alert/${command.name}` });
    });
    return toAlertView(await this.require(workspaceId, command.name));
  }

  /**
   * Everything a rule names, checked before it is stored: the condition parses
   * (422 naming the token and its position), each metric means something at
   * the rule's scope, the channels exist, and the scoped agent is this
   * workspace's (404 otherwise: another workspace's agent is not found).
   */
  private async checked(workspaceId: string, command: CreateAlertCommand): Promise<RuleFields> {
    let condition;
    try {
      condition = parseCondition(command.condition);
    } catch (error) {
      if (error instanceof ConditionError) throw DomainError.invalid('condition', error.message);
      throw error;
    }
    const scope = onlyScope(command.scope);
    const kind = scopeKind(scope);
    if (kind === 'platform' && workspaceId !== this.env.ALERT_PLATFORM_WORKSPACE)
      throw DomainError.invalid(
        'scope.platform',
        `platform-wide rules live in the platform workspace ('${this.env.ALERT_PLATFORM_WORKSPACE}')`,
      );
    for (const comparison of comparisons(condition)) {
      if (!sourceOf(comparison.metric, kind))
        throw DomainError.invalid(
          'condition',
          `${comparison.metric} cannot be evaluated for a ${kind}; it applies to: ${scopesOf(comparison.metric).join(', ')}`,
        );
    }
    const channels = await this.channels.byWorkspace(workspaceId);
    const { unknown } = resolveChannels(command.notification_channels, channels);
    if (unknown.length > 0) {
      const index = command.notification_channels.indexOf(unknown[0]);
      throw DomainError.invalid(
        `notification_channels[${index}]`,
        `'${unknown[0]}' is neither a notification channel of this workspace nor the kind of one (create it with POST /v1/notification-channels)`,
      );
    }
    if (scope?.agent) {
      const sample = await this.agents.sample(workspaceId, 60_000, [scope.agent]);
      if (!sample.agents[scope.agent]) throw DomainError.notFound('agent', scope.agent);
    }
    if (scope?.connection) {
      const sample = await this.agents.connectionSample(workspaceId, 60_000, [scope.connection]);
      if (!sample.connections[scope.connection])
        throw DomainError.notFound('connection', scope.connection);
    }
    const forMs = command.for ? duration(command.for, 'for', 0, MAX_FOR_MS) : 0;
    const windowText = command.window ?? DEFAULT_WINDOW;
    const windowMs = duration(windowText, 'window', 1_000, MAX_WINDOW_MS);
    return {
      condition: command.condition,
      notification_channels: command.notification_channels,
      severity: command.severity,
      for_text: command.for ?? null,
      for_ms: forMs,
      window_text: windowText,
      window_ms: windowMs,
      scope,
      description: command.description ?? null,
    };
  }

  private async history(
    workspaceId: string,
    query: AlertHistoryQuery,
  ): Promise<Page<AlertHistoryEntryView>> {
    const rule = await this.require(workspaceId, query.name);
    const limit = query.limit ?? 50;
    const before = decodeCursor(query.cursor);
    if (before !== undefined && !/^\d{1,19}$/.test(before))
      throw DomainError.invalid('cursor', 'is not a cursor this API returned');
    const rows = await this.rules.history(rule.id, before, limit + 1);
    const notifications = await this.notifications.ofHistory(rows.map((row) => row.id));
    return toPage(
      rows,
      limit,
      (row) => ({
        id: row.id,
        from: row.from_state,
        to: row.to_state,
        at: row.at.toISOString(),
        values: row.values,
        notifications: notifications.get(row.id) ?? [],
      }),
      (row) => row.id,
    );
  }

  private async silence(workspaceId: string, command: SilenceAlertCommand): Promise<AlertView> {
    const until = new Date(command.until);
    if (until.getTime() - Date.now() > MAX_SILENCE_MS)
      throw DomainError.invalid('until', 'must be within 90 days');
    await this.uow.run(async (tx) => {
      if (!(await this.rules.silence(tx.manager, workspaceId, command.name, until)))
        throw DomainError.notFound('alert', command.name);
      tx.audit({
        action: 'alert.silence',
        target: `alert/${command.name}`,
        details: { until: until.toISOString() },
      });
    });
    return toAlertView(await this.require(workspaceId, command.name));
  }

  private async require(workspaceId: string, name: string): Promise<AlertRuleRow> {
    const rule = await this.rules.find(workspaceId, name);
    if (!rule) throw DomainError.notFound('alert', name);
    return rule;
  }
}

function sameRule(row: AlertRuleRow, fields: RuleFields): boolean {
  return (
    row.condition === fields.condition &&
    row.severity === fields.severity &&
    row.for_text === fields.for_text &&
    row.window_text === fields.window_text &&
    row.description === fields.description &&
    JSON.stringify(row.notification_channels) === JSON.stringify(fields.notification_channels) &&
    JSON.stringify(row.scope) === JSON.stringify(fields.scope)
  );
}

/** At most one of agent, workflow, connection, platform; null for the whole workspace. */
function onlyScope(scope: RuleScope | undefined): RuleScope | null {
  if (!scope) return null;
  const given = (['agent', 'workflow', 'connection', 'platform'] as const).filter(
    (k) => scope[k] !== undefined,
  );
  if (given.length > 1)
    throw DomainError.invalid(
      'scope',
      'name at most one of agent, workflow, connection or platform',
    );
  return given.length === 0 ? null : { [given[0]]: scope[given[0]] };
}

function duration(value: string, field: string, minMs: number, maxMs: number): number {
  const ms = parseDuration(value);
  if (ms < minMs || ms > maxMs)
    throw DomainError.invalid(field, `must be between ${minMs / 1000}s and ${maxMs / 86_400_000}d`);
  return ms;
}
