import { createHash } from 'node:crypto';
import type { NotificationPayload } from './notifications.repository';

/**
 * What each channel kind receives for one notification. Pure, so the shapes
 * (Slack's `text`, PagerDuty's Events API v2) are unit-tested without a server.
 */

export function emailMessage(payload: NotificationPayload): { subject: string; text: string } {
  return { subject: payload.title.replace(/[\r\n]+/g, ' ').slice(0, 200), text: describe(payload) };
}

export function slackMessage(payload: NotificationPayload): { text: string } {
  return { text: `*${payload.title}*\n${describe(payload)}` };
}

/** The JSON a `webhook` channel receives (signed like subscriptions' webhooks). */
export function webhookMessage(
  payload: NotificationPayload,
  notificationId: string,
): Record<string, unknown> {
  return { notification_id: notificationId, ...payload };
}

const PAGERDUTY_SEVERITY: Record<string, string> = {
  info: 'info',
  warning: 'warning',
  error: 'error',
  critical: 'critical',
};

/**
 * An Events API v2 event: `trigger` when a rule fires, `resolve` when it
 * resolves; the dedup key is the rule's, so PagerDuty keeps one incident per
 * rule and workspace, which the resolve closes.
 */
export function pagerDutyEvent(payload: NotificationPayload, routingKey: string) {
  const dedupKey = createHash('sha256')
    .update(`${payload.workspace}\n${payload.rule ?? payload.run_id ?? payload.title}`)
    .digest('hex');
  const resolving = payload.state === 'resolved';
  return {
    routing_key: routingKey,
    event_action: resolving ? 'resolve' : 'trigger',
    dedup_key: dedupKey,
    ...(resolving
      ? {}
      : {
          payload: {
            summary: payload.title.slice(0, 1024),
            source: `baton/${payload.workspace}`,
            severity: PAGERDUTY_SEVERITY[payload.severity] ?? 'error',
            timestamp: payload.at,
            component: payload.rule ?? payload.step ?? undefined,
            custom_details: {
              condition: payload.condition,
              values: payload.values,
              scope: payload.scope,
              run_id: payload.run_id,
              error: payload.error,
            },
          },
        }),
  };
}

function describe(payload: NotificationPayload): string {
  const lines = [`Workspace: ${payload.workspace}`, `State: ${payload.state}`, `At: ${payload.at}`];
  if (payload.rule) lines.push(`Alert: ${payload.rule} (${payload.severity})`);
  if (payload.condition) lines.push(`Condition: ${payload.condition}`);
  if (payload.values) {
    for (const [key, value] of Object.entries(payload.values))
      lines.push(`  ${key} = ${value === null ? 'no data' : round(value)}`);
  }
  if (payload.scope && Object.keys(payload.scope).length > 0)
    lines.push(
      `Scope: ${Object.entries(payload.scope)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
  if (payload.description) lines.push(payload.description);
  if (payload.run_id)
    lines.push(`Run: ${payload.run_id}${payload.step ? `, step ${payload.step}` : ''}`);
  if (payload.error) lines.push(`Error: ${payload.error.type}: ${payload.error.message}`);
  return lines.join('\n');
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(4);
}
