import type { AlertView } from '@baton/contracts';
import type { AlertState } from './alert-state';

/** A rule as stored (alert_rules). */
export interface AlertRuleRow {
  id: string;
  workspace_id: string;
  name: string;
  condition: string;
  notification_channels: string[];
  severity: string;
  for_text: string | null;
  for_ms: string;
  window_text: string;
  window_ms: string;
  scope: RuleScope | null;
  description: string | null;
  state: AlertState;
  state_since: Date | null;
  silenced_until: Date | null;
  last_evaluated_at: Date | null;
  last_values: Record<string, number | null>;
  revision: number;
  created_at: Date;
  updated_at: Date;
}

export interface RuleScope {
  agent?: string;
  workflow?: string;
  connection?: string;
  /** A platform rule (in the platform workspace only): platform-wide figures. */
  platform?: boolean;
}

export const DEFAULT_WINDOW = '5m';

export function toAlertView(row: AlertRuleRow): AlertView {
  return {
    name: row.name,
    condition: row.condition,
    notification_channels: row.notification_channels,
    severity: row.severity,
    for: row.for_text,
    window: row.window_text,
    scope: row.scope,
    description: row.description,
    state: row.state,
    state_since: row.state_since?.toISOString() ?? null,
    silenced_until: row.silenced_until?.toISOString() ?? null,
    last_evaluated_at: row.last_evaluated_at?.toISOString() ?? null,
    last_values: row.last_values,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
